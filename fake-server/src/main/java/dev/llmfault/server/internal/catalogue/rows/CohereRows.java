package dev.llmfault.server.internal.catalogue.rows;

import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.catalogue.RowTable;

import static dev.llmfault.server.Fault.*;

/**
 * How Cohere v2 answers every fault: the COHERE rows of the fault catalogue. Sources: {@code shared/spec/providers.md}
 * and {@code faults.md}; rows marked {@code modelled()} are our best guess where no real answer was seen.
 */
public final class CohereRows implements ProviderRows {
    @Override
    public Provider provider() {
        return Provider.COHERE;
    }

    @Override
    public void addTo(RowTable t) {
        t.row(MISSING_TOKEN, 401, null, null, "no api key supplied");
        t.row(INVALID_TOKEN, 401, null, null, "invalid api token");
        t.row(EXPIRED_TOKEN, 401, null, null,
                "Your API key has expired. Please create a new key at https://dashboard.cohere.com/api-keys.")
                .modelled();
        t.row(INSUFFICIENT_SCOPE, 403, null, null, "your API key does not have access to {path} (missing scope {scope})")
                .modelled();
        t.row(MALFORMED_BODY, 400, null, null, "invalid request: could not parse JSON body: {detail}");
        t.variant(MALFORMED_BODY, "content_type", 400, null, null,
                "invalid request: unsupported content type {contentType}").modelled();
        t.variant(MALFORMED_BODY, "too_large", 413, null, null,
                "invalid request: request body of {size} bytes is too large").modelled();
        t.variant(MALFORMED_BODY, "invalid_type", 400, null, null, "invalid request: {field} {detail}").modelled();
        t.row(MISSING_FIELD, 400, null, null, "invalid request: {field} must be specified").modelled();
        t.row(WRONG_METHOD, 405, null, null, "method {method} not allowed on {path}").modelled();
        t.row(RATE_LIMITED, 429, null, null,
                "You are past the per minute request limit, please wait and try again later.").throttle();
        t.row(QUOTA_EXCEEDED, 429, null, null,
                "You are using a Trial key, which is limited to 1000 API calls / month. You can continue to use the "
                        + "Trial key for free or upgrade to a Production key with higher rate limits at "
                        + "'https://dashboard.cohere.com/api-keys'.");
        t.row(IP_BLOCKED, 403, null, null, "requests from IP address {ip} are not allowed").modelled();
        t.row(REGION_BLOCKED, 403, null, null, "this service is not available in your region ({region})").modelled();
        t.row(OLD_API_VERSION, 404, null, null, "{method} {path} not found: this API version is not supported").modelled();
        t.variant(OLD_API_VERSION, "retired_endpoint", 404, null, null,
                "{method} {path} was removed: use the v2 API (https://docs.cohere.com/v2/docs/migrating-v1-to-v2)").modelled();
        t.row(MODEL_NOT_FOUND, 404, null, null,
                "model '{model}' not found, make sure the correct model ID was used and that you have access to the model.");
        t.variant(MODEL_NOT_FOUND, "retired_model", 404, null, null,
                "model '{model}' was removed, see https://docs.cohere.com/docs/deprecations").modelled();
        t.row(OVERLOADED, 503, null, null, "the service is overloaded, please try again later").modelled();
        t.row(SERVER_ERROR, 500, null, null, "internal server error, this has been reported to our developers");
        // the text of Cohere's generate API quoted in cohere-ai/sandbox-topically#4 and stanford-crfm/helm#1412; v2's
        // exact wording was not seen (modelled on it)
        t.row(CONTEXT_LENGTH_EXCEEDED, 400, null, null, "too many tokens: total number of tokens (prompt and prediction) "
                + "cannot exceed {limit} - received {requested}. Try using a shorter prompt or a smaller max_tokens value.")
                .modelled();
        // The model's own failures: v2's finish_reason (COMPLETE, STOP_SEQUENCE, MAX_TOKENS, TOOL_CALL, ERROR,
        // TIMEOUT; docs.cohere.com). v2 has no filter reason (v1 had ERROR_TOXIC): a filtered answer is modelled as ERROR.
        t.row(LENGTH_TRUNCATED, 200, "MAX_TOKENS", null, "");
        t.row(CONTENT_FILTERED, 200, "ERROR", null, "").modelled();
        t.row(INVALID_JSON_OUTPUT, 200, "COMPLETE", null, "");
        t.row(UNKNOWN_TOOL_CALL, 200, "TOOL_CALL", null, "");
        t.row(INVALID_TOOL_ARGUMENTS, 200, "TOOL_CALL", null, "");
        t.transport();
        t.row(STREAM_ERROR, 200, null, null, "internal server error, this has been reported to our developers")
                .modelled();
    }
}
