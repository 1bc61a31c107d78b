package dev.llmfault.server.internal.catalogue.rows;

import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.catalogue.RowTable;

import static dev.llmfault.server.Fault.*;

/**
 * How the Google Gemini API answers every fault: the GEMINI rows of the fault catalogue. A row's {@code type} is
 * Google's canonical status ({@code INVALID_ARGUMENT}), its {@code code} the {@code google.rpc.ErrorInfo} reason
 * when Gemini sends one ({@code API_KEY_INVALID}); the dialect adds QuotaFailure, Help and RetryInfo to the
 * 429s. Sources, per row: ai.google.dev/gemini-api/docs/troubleshooting ("docs"), real answers users posted
 * in public issues (named), the google-genai 2.3.0 and LangChain4j 1.19 sources; {@code modelled()} rows are
 * our best guess where no real Gemini answer was seen.
 *
 * <p>Beware: a bad or expired key is a 400 on Gemini, not a 401, and a missing key a 403; the region block is
 * a 400 {@code FAILED_PRECONDITION}. Clients that sort errors by status alone read them as bad requests.
 */
public final class GeminiRows implements ProviderRows {
    private static final String RATE_LIMITS = "For more information on this error, head to: "
            + "https://ai.google.dev/gemini-api/docs/rate-limits. To monitor your current usage, head to: "
            + "https://ai.dev/rate-limit. ";
    private static final String NOT_FOUND = "models/{model} is not found for API version {version}, or is not "
            + "supported for generateContent. Call ListModels to see the list of available models and their "
            + "supported methods.";
    private static final String INTERNAL = "An internal error has occurred. Please retry or report in "
            + "https://developers.generativeai.google/guide/troubleshooting";

    @Override
    public Provider provider() {
        return Provider.GEMINI;
    }

    @Override
    public void addTo(RowTable t) {
        // issues: PublicAffairs/openai-gemini#92, gunpal5/Google_GenerativeAI#15 (no key at all)
        t.row(MISSING_TOKEN, 403, "PERMISSION_DENIED", null, "Method doesn't allow unregistered callers (callers "
                + "without established identity). Please use API Key or other form of API consumer identity to call "
                + "this API.");
        // issues: continuedev/continue#10290, google-gemini/gemini-cli#25198 (ErrorInfo + LocalizedMessage)
        t.row(INVALID_TOKEN, 400, "INVALID_ARGUMENT", "API_KEY_INVALID", "API key not valid. Please pass a valid API key.");
        // issues: continuedev/continue#11336, simonw/llm#1213
        t.row(EXPIRED_TOKEN, 400, "INVALID_ARGUMENT", "API_KEY_INVALID", "API key expired. Please renew the API key.");
        t.row(INSUFFICIENT_SCOPE, 403, "PERMISSION_DENIED", "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
                "Request had insufficient authentication scopes.")
                .header("WWW-Authenticate", "Bearer realm=\"https://accounts.google.com/\", error=\"insufficient_scope\", "
                        + "scope=\"{scope}\"")
                .modelled();
        // docs: 400 INVALID_ARGUMENT "The request body is malformed"; message shape from gemini-cli#13972
        t.row(MALFORMED_BODY, 400, "INVALID_ARGUMENT", null, "Invalid JSON payload received. {detail}");
        t.variant(MALFORMED_BODY, "content_type", 400, "INVALID_ARGUMENT", null,
                "Request contains an invalid argument.").modelled();
        t.variant(MALFORMED_BODY, "too_large", 400, "INVALID_ARGUMENT", null,
                "Request payload size exceeds the limit: {maxSize} bytes.").modelled();
        // google.rpc.BadRequest fieldViolations, as in zed-industries/zed#44875 (the dialect adds the field)
        t.variant(MALFORMED_BODY, "invalid_type", 400, "INVALID_ARGUMENT", null,
                "Invalid value at '{field}': {detail}").modelled();
        // issues: langchain-ai/langchain-google#1393 ("400 - contents is not specified")
        // Agent rules (AgentRules); verified: the 400 INVALID_ARGUMENT texts quoted in client issues (Vertex and AI Studio)
        t.variant(MALFORMED_BODY, "function_call_turn", 400, "INVALID_ARGUMENT", null,
                "Please ensure that function call turn comes immediately after a user turn or after a function response turn.");
        t.variant(MALFORMED_BODY, "tool_call_unanswered", 400, "INVALID_ARGUMENT", null,
                "Please ensure that the number of function response parts is equal to the number of function call parts "
                        + "of the function call turn.");
        t.row(MISSING_FIELD, 400, "INVALID_ARGUMENT", null, "* GenerateContentRequest.{field}: {field} is not specified\n");
        // Google's API front end answers a verb a method does not take as an unknown method: modelled.
        t.row(WRONG_METHOD, 404, "NOT_FOUND", null, "Method not found.").modelled();
        // python-genai#1875 and #2114, gemini-cli#8437: no Retry-After header, the wait is RetryInfo.retryDelay
        t.row(RATE_LIMITED, 429, "RESOURCE_EXHAUSTED", null, "You exceeded your current quota, please check your "
                + "plan and billing details. " + RATE_LIMITS + "\n* Quota exceeded for metric: "
                + "generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: {limit}, model: {model}"
                + "\nPlease retry in {retryIn}.").throttle();
        t.variant(RATE_LIMITED, "tokens", 429, "RESOURCE_EXHAUSTED", null, "You exceeded your current quota, please "
                + "check your plan and billing details. " + RATE_LIMITS + "\n* Quota exceeded for metric: "
                + "generativelanguage.googleapis.com/generate_content_free_tier_input_token_count, limit: {limit}, "
                + "model: {model}\nPlease retry in {retryIn}.").throttle();
        // gke-labs/gemini-for-kubernetes-development#1215: a per-day quota, the same 429 without a useful wait
        t.row(QUOTA_EXCEEDED, 429, "RESOURCE_EXHAUSTED", null, "You exceeded your current quota, please check your "
                + "plan and billing details. " + RATE_LIMITS + "\n* Quota exceeded for metric: "
                + "generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: {limit}, model: {model}");
        // Google API keys' IP restriction (firebase/quickstart-android#1008); not seen on Gemini itself
        t.row(IP_BLOCKED, 403, "PERMISSION_DENIED", "API_KEY_IP_ADDRESS_BLOCKED", "The provided API key has an IP "
                + "address restriction. The originating IP address of the call ({ip}) violates this restriction.")
                .modelled();
        // docs: 400 FAILED_PRECONDITION; message from poenl/gemini-api#4, google-gemini/gemini-cli#24641
        t.row(REGION_BLOCKED, 400, "FAILED_PRECONDITION", null, "User location is not supported for the API use.");
        // babaohuang/GeminiProChat#184: a model the /v1 API does not serve ("for API version v1")
        t.row(OLD_API_VERSION, 404, "NOT_FOUND", null, NOT_FOUND);
        t.variant(OLD_API_VERSION, "unknown_path", 404, "NOT_FOUND", null, "Method not found.").modelled();
        t.variant(OLD_API_VERSION, "retired_endpoint", 404, "NOT_FOUND", null, "Method not found.").modelled();
        // continuedev/continue#9939, google/adk-python#200
        t.row(MODEL_NOT_FOUND, 404, "NOT_FOUND", null, NOT_FOUND);
        // ECuiDev/obsidian-quiz-generator#43: a retired model gets the same answer
        t.variant(MODEL_NOT_FOUND, "retired_model", 404, "NOT_FOUND", null, NOT_FOUND);
        // google-gemini/gemini-cli#5191, lobehub/lobehub#9728
        t.row(OVERLOADED, 503, "UNAVAILABLE", null, "The model is overloaded. Please try again later.");
        // PublicAffairs/openai-gemini#15, google-gemini/gemini-cli#3656
        t.row(SERVER_ERROR, 500, "INTERNAL", null, INTERNAL);
        // google-gemini/gemini-cli#6678, #4231, #11507: the input alone counts (maxOutputTokens is capped, not refused)
        t.row(CONTEXT_LENGTH_EXCEEDED, 400, "INVALID_ARGUMENT", null,
                "The input token count ({promptTokens}) exceeds the maximum number of tokens allowed ({limit}).");
        // The model's own failures: google-genai's FinishReason (STOP, MAX_TOKENS, SAFETY, RECITATION, ...); a
        // function call ends with STOP. A filtered answer is a candidate with finishReason SAFETY, its safetyRatings
        // and no content (a blocked prompt, promptFeedback.blockReason with no candidate, is not modelled yet).
        t.row(LENGTH_TRUNCATED, 200, "MAX_TOKENS", null, "");
        t.row(CONTENT_FILTERED, 200, "SAFETY", null, "");
        t.row(INVALID_JSON_OUTPUT, 200, "STOP", null, "");
        t.row(UNKNOWN_TOOL_CALL, 200, "STOP", null, "");
        t.row(INVALID_TOOL_ARGUMENTS, 200, "STOP", null, "");
        t.transport();
        // google-genai 2.3.0 ResponseStream.readCurrent: a data frame with an "error" object throws ApiException
        // with its code; the frame's content is modelled on the 500 answer.
        t.row(STREAM_ERROR, 200, "INTERNAL", null, INTERNAL).modelled();
    }
}
