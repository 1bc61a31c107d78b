package dev.llmfault.server.internal.catalogue.rows;

import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.catalogue.RowTable;
import dev.llmfault.server.internal.dialect.AzureOpenAiDialect.AzureShapes;

import static dev.llmfault.server.Fault.*;

/**
 * How Azure OpenAI answers every fault: the AZURE_OPENAI rows. A row without a type is the Azure gateway's
 * {@code {"error":{"code","message"}}} (auth, quota, versions, deployments); a row with one is the model's own
 * error in OpenAI's envelope, which Azure passes through. Sources named per row; modelled rows are our best guess.
 */
public final class AzureOpenAiRows implements ProviderRows {
    private static final String QUOTA_URL = "Please go here: https://aka.ms/oai/quotaincrease if you would like to "
            + "further increase the default rate limit.";

    @Override
    public Provider provider() {
        return Provider.AZURE_OPENAI;
    }

    @Override
    public void addTo(RowTable t) {
        // verified: the API Management answers quoted in MicrosoftDocs/azure-docs and openai-python issues
        t.row(MISSING_TOKEN, 401, null, "401", "Access denied due to missing subscription key. Make sure to include "
                + "subscription key when making requests to an API.");
        t.row(INVALID_TOKEN, 401, null, "401", "Access denied due to invalid subscription key or wrong API endpoint. "
                + "Make sure to provide a valid key for an active subscription and use a correct regional API endpoint "
                + "for your resource.");
        // verified (shared/spec/providers.md section 6): an expired Entra ID token gets a BARE body
        // {"statusCode":401,"message":...}; the code "statusCode" asks the dialect for that shape
        t.row(EXPIRED_TOKEN, 401, null, AzureShapes.BARE, "Unauthorized. Access token is missing, invalid, audience is incorrect "
                + "(https://cognitiveservices.azure.com), or have expired.")
                .header("WWW-Authenticate", "Bearer error=\"invalid_token\", error_description=\"The access token expired\"");
        t.row(INSUFFICIENT_SCOPE, 401, null, "PermissionDenied", "The principal lacks the required data action "
                + "Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action to perform "
                + "{method} {path} operation.").modelled();
        // the model's own errors: OpenAI's envelope, passed through
        t.row(MALFORMED_BODY, 400, "invalid_request_error", null,
                "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP "
                        + "library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid "
                        + "JSON.)").modelled();
        t.variant(MALFORMED_BODY, "content_type", 400, "invalid_request_error", null,
                "Invalid Content-Type header ({contentType}), expected application/json.").modelled();
        t.variant(MALFORMED_BODY, "too_large", 413, null, "RequestEntityTooLarge",
                "Request body too large: {size} bytes exceeds the limit of {maxSize} bytes.").modelled();
        t.variant(MALFORMED_BODY, "invalid_type", 400, "invalid_request_error", null,
                "Invalid type for '{field}': {detail}").param("{field}").modelled();
        t.variant(MALFORMED_BODY, "invalid_value", 400, "invalid_request_error", "invalid_value",
                "Invalid '{field}': {detail}").param("{field}").modelled();
        // verified: the content-filter answer documented at https://learn.microsoft.com/azure/ai-services/openai/concepts/content-filter
        t.variant(MALFORMED_BODY, "content_filter", 400, "invalid_request_error", "content_filter",
                "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. "
                        + "Please modify your prompt and retry. To learn more about our content filtering policies "
                        + "please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766").param("prompt");
        // Agent rules: OpenAI's own texts (the models answer them behind Azure's front door), modelled for Azure
        OpenAiRows.agentRules(t, false);
        t.row(MISSING_FIELD, 400, "invalid_request_error", "missing_required_parameter",
                "Missing required parameter: '{field}'.").param("{field}");
        t.row(WRONG_METHOD, 405, null, "405", "Method {method} is not allowed on {path}.").modelled();
        // verified: the 429 text quoted in alex-wolf-ps/dbchatprov2#2 and microsoft/rag-experiment-accelerator#137
        t.row(RATE_LIMITED, 429, null, "429", "Requests to the ChatCompletions_Create Operation under Azure OpenAI "
                + "API version {version} have exceeded call rate limit of your current OpenAI S0 pricing tier. Please "
                + "retry after {retrySeconds} seconds. " + QUOTA_URL).throttle();
        t.variant(RATE_LIMITED, "tokens", 429, null, "429", "Requests to the ChatCompletions_Create Operation under "
                + "Azure OpenAI API version {version} have exceeded token rate limit of your current OpenAI S0 pricing "
                + "tier. Please retry after {retrySeconds} seconds. " + QUOTA_URL).throttle();
        t.row(QUOTA_EXCEEDED, 429, null, "insufficient_quota", "Requests to the ChatCompletions_Create Operation under "
                + "Azure OpenAI API version {version} have exceeded the quota of your subscription. " + QUOTA_URL)
                .modelled();
        t.row(IP_BLOCKED, 403, null, "403", "Access denied due to Virtual Network/Firewall rules.");
        t.row(REGION_BLOCKED, 403, null, "403", "Access denied: requests from region {region} are not allowed for "
                + "this resource.").modelled();
        // verified: an unknown api-version (anomalyco/opencode#12186); a missing one and an unknown path are the
        // gateway's 404 (MicrosoftDocs/azure-docs#114602, langchain-ai/langchain#13284)
        t.row(OLD_API_VERSION, 400, null, "BadRequest", "API version not supported");
        t.variant(OLD_API_VERSION, "missing_api_version", 404, null, "404", "Resource not found");
        t.variant(OLD_API_VERSION, "unknown_path", 404, null, "404", "Resource not found");
        t.variant(OLD_API_VERSION, "retired_endpoint", 410, null, "410", "{method} {path} has been retired.").modelled();
        // verified: the DeploymentNotFound answer quoted in openai-python#362-era threads
        t.row(MODEL_NOT_FOUND, 404, null, "DeploymentNotFound", "The API deployment for this resource does not exist. "
                + "If you created the deployment within the last 5 minutes, please wait a moment and try again.");
        t.variant(MODEL_NOT_FOUND, "retired_model", 404, null, "DeploymentNotFound",
                "The model {model} of this deployment has been retired.").modelled();
        t.variant(MODEL_NOT_FOUND, "previous_response_not_found", 400, "invalid_request_error",
                "previous_response_not_found", "Previous response with id '{detail}' not found.")
                .param("previous_response_id").modelled();
        t.variant(MODEL_NOT_FOUND, "response_not_found", 404, "invalid_request_error", null,
                "Response with id '{detail}' not found.").modelled();
        t.row(OVERLOADED, 503, null, "ServiceUnavailable",
                "The service is temporarily unable to process your request. Please try again later.").modelled();
        t.row(SERVER_ERROR, 500, "server_error", null,
                "The server had an error while processing your request. Sorry about that!");
        // the model's own refusal in OpenAI's envelope, passed through as for every model error (modelled on OpenAI's)
        t.row(CONTEXT_LENGTH_EXCEEDED, 400, "invalid_request_error", "context_length_exceeded",
                "This model's maximum context length is {limit} tokens. However, your messages resulted in "
                        + "{promptTokens} tokens. Please reduce the length of the messages.").param("messages").modelled();
        t.variant(CONTEXT_LENGTH_EXCEEDED, "with_output", 400, "invalid_request_error", "context_length_exceeded",
                "This model's maximum context length is {limit} tokens. However, you requested {requested} tokens "
                        + "({promptTokens} in the messages, {outputTokens} in the completion). Please reduce the length "
                        + "of the messages or completion.").param("messages").modelled();
        // The model's own failures, as OpenAI's; the content filter is Azure's own (learn.microsoft.com, "Content
        // filtering"): a filtered prompt is a 400 content_filter whose innererror is ResponsibleAIPolicyViolation with
        // the content_filter_result per category; a completion filtered while it streams ends with finish_reason
        // content_filter and the choice's content_filter_results.
        t.row(LENGTH_TRUNCATED, 200, "length", null, "");
        t.row(CONTENT_FILTERED, 400, "invalid_request_error", "content_filter",
                "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. "
                        + "Please modify your prompt and retry. To learn more about our content filtering policies "
                        + "please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766").param("prompt");
        t.variant(CONTENT_FILTERED, "stream", 200, "content_filter", null, "");
        t.row(INVALID_JSON_OUTPUT, 200, "stop", null, "");
        t.row(UNKNOWN_TOOL_CALL, 200, "tool_calls", null, "");
        t.row(INVALID_TOOL_ARGUMENTS, 200, "tool_calls", null, "");
        t.transport();
        t.row(STREAM_ERROR, 200, "server_error", null,
                "The server had an error while processing your request. Sorry about that!").modelled();
    }
}
