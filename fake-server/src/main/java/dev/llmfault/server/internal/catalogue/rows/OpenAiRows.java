package dev.llmfault.server.internal.catalogue.rows;

import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.catalogue.RowTable;

import static dev.llmfault.server.Fault.*;

/**
 * How OpenAI answers every fault: the OPENAI rows of the fault catalogue. Sources: {@code shared/spec/providers.md}
 * and {@code faults.md}; rows marked {@code modelled()} are our best guess where no real answer was seen.
 */
public final class OpenAiRows implements ProviderRows {
    private static final String OPENAI_KEYS_URL = "You can find your API key at https://platform.openai.com/account/api-keys.";

    @Override
    public Provider provider() {
        return Provider.OPENAI;
    }

    @Override
    public void addTo(RowTable t) {
        t.row(MISSING_TOKEN, 401, "invalid_request_error", null, "You didn't provide an API key. You need to "
                + "provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer "
                + "YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your "
                + "browser and are prompted for a username and password. You can obtain an API key from "
                + "https://platform.openai.com/account/api-keys.");
        t.row(INVALID_TOKEN, 401, "invalid_request_error", "invalid_api_key",
                "Incorrect API key provided: {keyMask}. " + OPENAI_KEYS_URL);
        t.row(EXPIRED_TOKEN, 401, "invalid_request_error", "invalid_api_key",
                "Incorrect API key provided: {keyMask}. The access token expired. " + OPENAI_KEYS_URL)
                .header("WWW-Authenticate", "Bearer error=\"invalid_token\", error_description=\"The access token expired\"")
                .modelled();
        t.row(INSUFFICIENT_SCOPE, 401, "invalid_request_error", null,
                "You have insufficient permissions for this operation. Missing scopes: {scope}. Check that you have "
                        + "the correct role in your organization (Reader, Writer, Owner) and project (Member, Owner), "
                        + "and if you're using a restricted API key, that it has the necessary scopes.");
        t.row(MALFORMED_BODY, 400, "invalid_request_error", null,
                "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your "
                        + "HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not "
                        + "valid JSON. If you have trouble figuring out how to fix this, please contact us through "
                        + "our help center at help.openai.com.)");
        t.variant(MALFORMED_BODY, "content_type", 400, "invalid_request_error", null,
                "Invalid Content-Type header ({contentType}), expected application/json.").modelled();
        t.variant(MALFORMED_BODY, "too_large", 413, "invalid_request_error", null,
                "Request too large: {size} bytes exceeds the limit of {maxSize} bytes.").modelled();
        t.variant(MALFORMED_BODY, "invalid_value", 400, "invalid_request_error", "invalid_value",
                "Invalid '{field}': {detail}").param("{field}").modelled();
        t.variant(MALFORMED_BODY, "invalid_type", 400, "invalid_request_error", null,
                "Invalid type for '{field}': {detail}").param("{field}").modelled();
        agentRules(t, true);
        t.row(MISSING_FIELD, 400, "invalid_request_error", "missing_required_parameter",
                "Missing required parameter: '{field}'.").param("{field}");
        t.row(WRONG_METHOD, 405, "invalid_request_error", null, "Invalid method for URL ({method} {path})")
                .modelled();
        t.row(RATE_LIMITED, 429, "requests", "rate_limit_exceeded",
                "Rate limit reached for {model} in organization org-llmfault on requests per min (RPM): Limit {limit}, "
                        + "Used {used}, Requested 1. Please try again in {retryIn}. Visit "
                        + "https://platform.openai.com/account/rate-limits to learn more.").throttle();
        t.variant(RATE_LIMITED, "tokens", 429, "tokens", "rate_limit_exceeded",
                "Rate limit reached for {model} in organization org-llmfault on tokens per min (TPM): Limit {limit}, "
                        + "Used {used}, Requested {requested}. Please try again in {retryIn}. Visit "
                        + "https://platform.openai.com/account/rate-limits to learn more.").throttle();
        t.row(QUOTA_EXCEEDED, 429, "insufficient_quota", "insufficient_quota",
                "You exceeded your current quota, please check your plan and billing details. For more information "
                        + "on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.");
        t.row(IP_BLOCKED, 403, "request_forbidden", "ip_not_allowed",
                "Access denied: requests from IP address {ip} are not allowed for this organization.").modelled();
        t.row(REGION_BLOCKED, 403, "request_forbidden", "unsupported_country_region_territory",
                "Country, region, or territory not supported");
        t.row(OLD_API_VERSION, 404, "invalid_request_error", null, "Invalid URL ({method} {path})");
        t.row(MODEL_NOT_FOUND, 404, "invalid_request_error", "model_not_found",
                "The model `{model}` does not exist or you do not have access to it.");
        // The Responses API: a stored response that does not exist. verified: the body relayed in
        // Soju06/codex-lb#853 and james-6-23/codex2api#400 (status 400, code previous_response_not_found)
        t.variant(MODEL_NOT_FOUND, "previous_response_not_found", 400, "invalid_request_error", "previous_response_not_found",
                "Previous response with id '{detail}' not found.").param("previous_response_id");
        t.variant(MODEL_NOT_FOUND, "response_not_found", 404, "invalid_request_error", null,
                "Response with id '{detail}' not found.").modelled();
        t.variant(MODEL_NOT_FOUND, "retired_model", 404, "invalid_request_error", "model_not_found",
                "The model `{model}` has been deprecated, learn more here: https://platform.openai.com/docs/deprecations");
        t.row(OVERLOADED, 503, "server_error", null, "The engine is currently overloaded, please try again later.")
                .modelled();
        t.row(SERVER_ERROR, 500, "server_error", null,
                "The server had an error while processing your request. Sorry about that!");
        // verified: the whole envelope quoted in chathub-dev/chathub#126 and dimagi/open-chat-studio#463
        t.row(CONTEXT_LENGTH_EXCEEDED, 400, "invalid_request_error", "context_length_exceeded",
                "This model's maximum context length is {limit} tokens. However, your messages resulted in "
                        + "{promptTokens} tokens. Please reduce the length of the messages.").param("messages");
        // the prompt fits, not with max_tokens: the completions-era wording (stanford-crfm/helm#94) adapted to chat
        t.variant(CONTEXT_LENGTH_EXCEEDED, "with_output", 400, "invalid_request_error", "context_length_exceeded",
                "This model's maximum context length is {limit} tokens. However, you requested {requested} tokens "
                        + "({promptTokens} in the messages, {outputTokens} in the completion). Please reduce the length "
                        + "of the messages or completion.").param("messages").modelled();
        // The model's own failures: 200s whose finish reason (the row's type) tells them apart; openai-java's
        // ChatCompletion.Choice.FinishReason knows stop, length, tool_calls, content_filter, function_call. The
        // Responses API says the same with status "incomplete" and incomplete_details.reason max_output_tokens /
        // content_filter. What the model writes (a cut text, broken JSON, a wrong tool call) is ours to choose.
        t.row(LENGTH_TRUNCATED, 200, "length", null, "");
        t.row(CONTENT_FILTERED, 200, "content_filter", null, "");
        t.row(INVALID_JSON_OUTPUT, 200, "stop", null, "");
        t.row(UNKNOWN_TOOL_CALL, 200, "tool_calls", null, "");
        t.row(INVALID_TOOL_ARGUMENTS, 200, "tool_calls", null, "");
        t.transport();
        t.row(STREAM_ERROR, 200, "server_error", null,
                "The server had an error while processing your request. Sorry about that!");
    }

    /**
     * The agent rules' rows (AgentRules, ToolSchemaRules), shared with Azure OpenAI, where the same models answer
     * them ({@code verified} false: modelled there).
     */
    static void agentRules(RowTable t, boolean verified) {
        // Agent rules (AgentRules, ToolSchemaRules). verified: the bodies quoted in router-for-me/CLIProxyAPI#2798 (param
        // messages.[6].role), in LangChain's tool-calling docs (param "messages" when the conversation ends first) and in
        // itmisx/deepx-code#94 (the orphan tool message, "preceeding" misspelt by OpenAI, param messages.[1].role)
        modelledUnless(verified, t.variant(MALFORMED_BODY, "tool_call_unanswered", 400, "invalid_request_error", null,
                "An assistant message with 'tool_calls' must be followed by tool messages responding to each "
                        + "'tool_call_id'. The following tool_call_ids did not have response messages: {detail}")
                .param("{field}"));
        modelledUnless(verified, t.variant(MALFORMED_BODY, "tool_result_orphan", 400, "invalid_request_error", null,
                "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with "
                        + "'tool_calls'.").param("{field}"));
        // the Responses API; verified: the bodies quoted in the codex issues (param "input")
        modelledUnless(verified, t.variant(MALFORMED_BODY, "no_tool_output", 400, "invalid_request_error", null,
                "No tool output found for function call {detail}.").param("{field}"));
        modelledUnless(verified, t.variant(MALFORMED_BODY, "no_tool_call", 400, "invalid_request_error", null,
                "No tool call found for function call output with call_id {detail}.").param("{field}"));
        // verified: "Invalid schema for function 'x': schema must be a JSON Schema of 'type: \"object\"', got ..."
        // and the strict-mode "In context=(), 'additionalProperties' is required ..." texts quoted in client issues,
        // code invalid_function_parameters, param tools[0].parameters
        modelledUnless(verified, t.variant(MALFORMED_BODY, "invalid_tool_schema", 400, "invalid_request_error",
                "invalid_function_parameters", "Invalid schema for function {detail}").param("{field}"));
    }

    private static void modelledUnless(boolean verified, RowTable.RowBuilder row) {
        if (!verified) {
            row.modelled();
        }
    }
}
