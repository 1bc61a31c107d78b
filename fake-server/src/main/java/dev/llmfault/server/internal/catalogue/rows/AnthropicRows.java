package dev.llmfault.server.internal.catalogue.rows;

import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.catalogue.RowTable;

import static dev.llmfault.server.Fault.*;

/**
 * How Anthropic answers every fault: the ANTHROPIC rows of the fault catalogue. Sources: {@code shared/spec/providers.md}
 * and {@code faults.md}; rows marked {@code modelled()} are our best guess where no real answer was seen.
 */
public final class AnthropicRows implements ProviderRows {
    @Override
    public Provider provider() {
        return Provider.ANTHROPIC;
    }

    @Override
    public void addTo(RowTable t) {
        t.row(MISSING_TOKEN, 401, "authentication_error", null, "x-api-key header is required");
        t.row(INVALID_TOKEN, 401, "authentication_error", null, "invalid x-api-key");
        t.row(EXPIRED_TOKEN, 401, "authentication_error", null,
                "OAuth token has expired. Please obtain a new token or refresh your existing token.")
                .header("WWW-Authenticate", "Bearer error=\"invalid_token\", error_description=\"The access token expired\"");
        t.row(INSUFFICIENT_SCOPE, 403, "permission_error", null,
                "Your API key does not have permission to use the specified resource. Missing scope: {scope}")
                .header("WWW-Authenticate", "Bearer error=\"insufficient_scope\", scope=\"{scope}\"");
        t.row(MALFORMED_BODY, 400, "invalid_request_error", null, "The request body is not valid JSON: {detail}");
        t.variant(MALFORMED_BODY, "content_type", 400, "invalid_request_error", null,
                "Invalid content-type header ({contentType}): expected application/json").modelled();
        t.variant(MALFORMED_BODY, "too_large", 413, "request_too_large", null,
                "Request exceeds the maximum allowed number of bytes.");
        t.variant(MALFORMED_BODY, "invalid_type", 400, "invalid_request_error", null,
                "{field}: {detail}").modelled();
        // Agent rules (AgentRules); verified: the bodies quoted in anthropics/claude-code#13460 and #5060 and
        // router-for-me/CLIProxyAPI#497. Consecutive messages of one role are not refused: the API joins them.
        t.variant(MALFORMED_BODY, "tool_result_orphan", 400, "invalid_request_error", null,
                "{field}: unexpected `tool_use_id` found in `tool_result` blocks: {detail}. Each `tool_result` block must "
                        + "have a corresponding `tool_use` block in the previous message.");
        t.variant(MALFORMED_BODY, "tool_call_unanswered", 400, "invalid_request_error", null,
                "{field}: `tool_use` ids were found without `tool_result` blocks immediately after: {detail}. Each "
                        + "`tool_use` block must have a corresponding `tool_result` block in the next message.");
        t.row(MISSING_FIELD, 400, "invalid_request_error", null, "{field}: Field required");
        t.row(WRONG_METHOD, 405, "invalid_request_error", null, "Method Not Allowed: {method} {path}").modelled();
        t.row(RATE_LIMITED, 429, "rate_limit_error", null,
                "This request would exceed your organization's rate limit of {limit} requests per minute. "
                        + "For details, refer to: https://docs.claude.com/en/api/rate-limits.").throttle().modelled();
        t.variant(RATE_LIMITED, "tokens", 429, "rate_limit_error", null,
                "This request would exceed your organization's rate limit of {limit} input tokens per minute. "
                        + "For details, refer to: https://docs.claude.com/en/api/rate-limits.").throttle().modelled();
        t.row(QUOTA_EXCEEDED, 402, "billing_error", null,
                "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade "
                        + "or purchase credits.");
        t.row(IP_BLOCKED, 403, "permission_error", null,
                "Requests from IP address {ip} are not allowed for this organization.").modelled();
        t.row(REGION_BLOCKED, 403, "permission_error", null, "Request not allowed from region {region}.")
                .modelled();
        t.row(OLD_API_VERSION, 400, "invalid_request_error", null,
                "anthropic-version: unknown version '{version}'. Supported versions: {supported}").modelled();
        // verified: the live API's answer to a version it does not know, as quoted in directus-labs/extensions#285
        // and decolua/9router#1227; the known versions are listed at https://docs.claude.com/en/api/versioning
        t.variant(OLD_API_VERSION, "unknown_version", 400, "invalid_request_error", null,
                "anthropic-version: \"{version}\" is not a valid version");
        t.variant(OLD_API_VERSION, "missing_version", 400, "invalid_request_error", null,
                "anthropic-version: header is required");
        t.variant(OLD_API_VERSION, "unknown_path", 404, "not_found_error", null, "Not Found").modelled();
        t.variant(OLD_API_VERSION, "retired_endpoint", 404, "not_found_error", null,
                "{method} {path} has been retired. See https://docs.claude.com/en/api/migrating-from-text-completions-to-messages")
                .modelled();
        t.row(MODEL_NOT_FOUND, 404, "not_found_error", null, "model: {model}");
        t.variant(MODEL_NOT_FOUND, "retired_model", 404, "not_found_error", null,
                "model: {model} has been retired").modelled();
        t.row(OVERLOADED, 529, "overloaded_error", null, "Overloaded");
        t.row(SERVER_ERROR, 500, "api_error", null, "Internal server error");
        // verified: earendil-works/pi#102 (the prompt alone), continuedev/continue#6080 and docker/docker-agent#569
        // (the prompt with max_tokens), both with their request ids
        t.row(CONTEXT_LENGTH_EXCEEDED, 400, "invalid_request_error", null,
                "prompt is too long: {promptTokens} tokens > {limit} maximum");
        t.variant(CONTEXT_LENGTH_EXCEEDED, "with_output", 400, "invalid_request_error", null,
                "input length and `max_tokens` exceed context limit: {promptTokens} + {outputTokens} > {limit}, "
                        + "decrease input length or `max_tokens` and try again");
        // The model's own failures: anthropic-java's StopReason knows end_turn, max_tokens, stop_sequence, tool_use,
        // pause_turn and refusal (the streaming classifiers' refusal, docs.claude.com "Handling stop reasons")
        t.row(LENGTH_TRUNCATED, 200, "max_tokens", null, "");
        t.row(CONTENT_FILTERED, 200, "refusal", null, "");
        t.row(INVALID_JSON_OUTPUT, 200, "end_turn", null, "");
        t.row(UNKNOWN_TOOL_CALL, 200, "tool_use", null, "");
        t.row(INVALID_TOOL_ARGUMENTS, 200, "tool_use", null, "");
        t.transport();
        t.row(STREAM_ERROR, 200, "overloaded_error", null, "Overloaded");
    }
}
