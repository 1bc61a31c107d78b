package dev.llmfault.server.internal.catalogue;

import dev.llmfault.server.Fault;
import dev.llmfault.server.Provider;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.llmfault.server.Fault.*;
import static dev.llmfault.server.Provider.*;

/**
 * The fault catalogue as data: (fault, provider, variant) -> status, error type, code, message, headers.
 * This is the only place that knows a provider's statuses and messages; dialects render from it and
 * nothing else hard-codes a status. Sources: {@code shared/spec/providers.md} and {@code faults.md}.
 * Rows marked {@code modelled()} are our best guess where no real answer was seen: correct them here.
 *
 * <p>To add a fault: one enum constant in {@link Fault} plus a row per provider below. To add a provider:
 * one dialect class plus a block of rows.
 */
public final class FaultCatalogue {
    private static final String OPENAI_KEYS_URL = "You can find your API key at https://platform.openai.com/account/api-keys.";

    private static final FaultCatalogue INSTANCE = new FaultCatalogue();

    private final Map<Provider, Map<Fault, Map<String, Rendering>>> rows = new EnumMap<>(Provider.class);

    public static FaultCatalogue get() {
        return INSTANCE;
    }

    private FaultCatalogue() {
        openAi();
        anthropic();
        cohere();
        zhipu();
    }

    private void openAi() {
        row(MISSING_TOKEN, OPENAI, 401, "invalid_request_error", null, "You didn't provide an API key. You need to "
                + "provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer "
                + "YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your "
                + "browser and are prompted for a username and password. You can obtain an API key from "
                + "https://platform.openai.com/account/api-keys.");
        row(INVALID_TOKEN, OPENAI, 401, "invalid_request_error", "invalid_api_key",
                "Incorrect API key provided: {keyMask}. " + OPENAI_KEYS_URL);
        row(EXPIRED_TOKEN, OPENAI, 401, "invalid_request_error", "invalid_api_key",
                "Incorrect API key provided: {keyMask}. The access token expired. " + OPENAI_KEYS_URL)
                .header("WWW-Authenticate", "Bearer error=\"invalid_token\", error_description=\"The access token expired\"")
                .modelled();
        row(INSUFFICIENT_SCOPE, OPENAI, 401, "invalid_request_error", null,
                "You have insufficient permissions for this operation. Missing scopes: {scope}. Check that you have "
                        + "the correct role in your organization (Reader, Writer, Owner) and project (Member, Owner), "
                        + "and if you're using a restricted API key, that it has the necessary scopes.");
        row(MALFORMED_BODY, OPENAI, 400, "invalid_request_error", null,
                "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your "
                        + "HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not "
                        + "valid JSON. If you have trouble figuring out how to fix this, please contact us through "
                        + "our help center at help.openai.com.)");
        variant(MALFORMED_BODY, OPENAI, "content_type", 400, "invalid_request_error", null,
                "Invalid Content-Type header ({contentType}), expected application/json.").modelled();
        variant(MALFORMED_BODY, OPENAI, "too_large", 413, "invalid_request_error", null,
                "Request too large: {size} bytes exceeds the limit of {maxSize} bytes.").modelled();
        variant(MALFORMED_BODY, OPENAI, "invalid_type", 400, "invalid_request_error", null,
                "Invalid type for '{field}': {detail}").param("{field}").modelled();
        row(MISSING_FIELD, OPENAI, 400, "invalid_request_error", "missing_required_parameter",
                "Missing required parameter: '{field}'.").param("{field}");
        row(WRONG_METHOD, OPENAI, 405, "invalid_request_error", null, "Invalid method for URL ({method} {path})")
                .modelled();
        row(RATE_LIMITED, OPENAI, 429, "requests", "rate_limit_exceeded",
                "Rate limit reached for {model} in organization org-llmfault on requests per min (RPM): Limit {limit}, "
                        + "Used {used}, Requested 1. Please try again in {retryIn}. Visit "
                        + "https://platform.openai.com/account/rate-limits to learn more.").throttle();
        variant(RATE_LIMITED, OPENAI, "tokens", 429, "tokens", "rate_limit_exceeded",
                "Rate limit reached for {model} in organization org-llmfault on tokens per min (TPM): Limit {limit}, "
                        + "Used {used}, Requested {requested}. Please try again in {retryIn}. Visit "
                        + "https://platform.openai.com/account/rate-limits to learn more.").throttle();
        row(QUOTA_EXCEEDED, OPENAI, 429, "insufficient_quota", "insufficient_quota",
                "You exceeded your current quota, please check your plan and billing details. For more information "
                        + "on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.");
        row(IP_BLOCKED, OPENAI, 403, "request_forbidden", "ip_not_allowed",
                "Access denied: requests from IP address {ip} are not allowed for this organization.").modelled();
        row(REGION_BLOCKED, OPENAI, 403, "request_forbidden", "unsupported_country_region_territory",
                "Country, region, or territory not supported");
        row(OLD_API_VERSION, OPENAI, 404, "invalid_request_error", null, "Invalid URL ({method} {path})");
        row(MODEL_NOT_FOUND, OPENAI, 404, "invalid_request_error", "model_not_found",
                "The model `{model}` does not exist or you do not have access to it.");
        variant(MODEL_NOT_FOUND, OPENAI, "retired_model", 404, "invalid_request_error", "model_not_found",
                "The model `{model}` has been deprecated, learn more here: https://platform.openai.com/docs/deprecations");
        row(OVERLOADED, OPENAI, 503, "server_error", null, "The engine is currently overloaded, please try again later.")
                .modelled();
        row(SERVER_ERROR, OPENAI, 500, "server_error", null,
                "The server had an error while processing your request. Sorry about that!");
        transport(OPENAI);
        row(STREAM_ERROR, OPENAI, 200, "server_error", null,
                "The server had an error while processing your request. Sorry about that!");
    }

    private void anthropic() {
        row(MISSING_TOKEN, ANTHROPIC, 401, "authentication_error", null, "x-api-key header is required");
        row(INVALID_TOKEN, ANTHROPIC, 401, "authentication_error", null, "invalid x-api-key");
        row(EXPIRED_TOKEN, ANTHROPIC, 401, "authentication_error", null,
                "OAuth token has expired. Please obtain a new token or refresh your existing token.")
                .header("WWW-Authenticate", "Bearer error=\"invalid_token\", error_description=\"The access token expired\"");
        row(INSUFFICIENT_SCOPE, ANTHROPIC, 403, "permission_error", null,
                "Your API key does not have permission to use the specified resource. Missing scope: {scope}")
                .header("WWW-Authenticate", "Bearer error=\"insufficient_scope\", scope=\"{scope}\"");
        row(MALFORMED_BODY, ANTHROPIC, 400, "invalid_request_error", null, "The request body is not valid JSON: {detail}");
        variant(MALFORMED_BODY, ANTHROPIC, "content_type", 400, "invalid_request_error", null,
                "Invalid content-type header ({contentType}): expected application/json").modelled();
        variant(MALFORMED_BODY, ANTHROPIC, "too_large", 413, "request_too_large", null,
                "Request exceeds the maximum allowed number of bytes.");
        variant(MALFORMED_BODY, ANTHROPIC, "invalid_type", 400, "invalid_request_error", null,
                "{field}: {detail}").modelled();
        row(MISSING_FIELD, ANTHROPIC, 400, "invalid_request_error", null, "{field}: Field required");
        row(WRONG_METHOD, ANTHROPIC, 405, "invalid_request_error", null, "Method Not Allowed: {method} {path}").modelled();
        row(RATE_LIMITED, ANTHROPIC, 429, "rate_limit_error", null,
                "This request would exceed your organization's rate limit of {limit} requests per minute. "
                        + "For details, refer to: https://docs.claude.com/en/api/rate-limits.").throttle().modelled();
        variant(RATE_LIMITED, ANTHROPIC, "tokens", 429, "rate_limit_error", null,
                "This request would exceed your organization's rate limit of {limit} input tokens per minute. "
                        + "For details, refer to: https://docs.claude.com/en/api/rate-limits.").throttle().modelled();
        row(QUOTA_EXCEEDED, ANTHROPIC, 402, "billing_error", null,
                "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade "
                        + "or purchase credits.");
        row(IP_BLOCKED, ANTHROPIC, 403, "permission_error", null,
                "Requests from IP address {ip} are not allowed for this organization.").modelled();
        row(REGION_BLOCKED, ANTHROPIC, 403, "permission_error", null, "Request not allowed from region {region}.")
                .modelled();
        row(OLD_API_VERSION, ANTHROPIC, 400, "invalid_request_error", null,
                "anthropic-version: unknown version '{version}'. Supported versions: {supported}").modelled();
        variant(OLD_API_VERSION, ANTHROPIC, "missing_version", 400, "invalid_request_error", null,
                "anthropic-version: header is required");
        variant(OLD_API_VERSION, ANTHROPIC, "unknown_path", 404, "not_found_error", null, "Not Found").modelled();
        variant(OLD_API_VERSION, ANTHROPIC, "retired_endpoint", 404, "not_found_error", null,
                "{method} {path} has been retired. See https://docs.claude.com/en/api/migrating-from-text-completions-to-messages")
                .modelled();
        row(MODEL_NOT_FOUND, ANTHROPIC, 404, "not_found_error", null, "model: {model}");
        variant(MODEL_NOT_FOUND, ANTHROPIC, "retired_model", 404, "not_found_error", null,
                "model: {model} has been retired").modelled();
        row(OVERLOADED, ANTHROPIC, 529, "overloaded_error", null, "Overloaded");
        row(SERVER_ERROR, ANTHROPIC, 500, "api_error", null, "Internal server error");
        transport(ANTHROPIC);
        row(STREAM_ERROR, ANTHROPIC, 200, "overloaded_error", null, "Overloaded");
    }

    private void cohere() {
        row(MISSING_TOKEN, COHERE, 401, null, null, "no api key supplied");
        row(INVALID_TOKEN, COHERE, 401, null, null, "invalid api token");
        row(EXPIRED_TOKEN, COHERE, 401, null, null,
                "Your API key has expired. Please create a new key at https://dashboard.cohere.com/api-keys.")
                .modelled();
        row(INSUFFICIENT_SCOPE, COHERE, 403, null, null, "your API key does not have access to {path} (missing scope {scope})")
                .modelled();
        row(MALFORMED_BODY, COHERE, 400, null, null, "invalid request: could not parse JSON body: {detail}");
        variant(MALFORMED_BODY, COHERE, "content_type", 400, null, null,
                "invalid request: unsupported content type {contentType}").modelled();
        variant(MALFORMED_BODY, COHERE, "too_large", 413, null, null,
                "invalid request: request body of {size} bytes is too large").modelled();
        variant(MALFORMED_BODY, COHERE, "invalid_type", 400, null, null, "invalid request: {field} {detail}").modelled();
        row(MISSING_FIELD, COHERE, 400, null, null, "invalid request: {field} must be specified").modelled();
        row(WRONG_METHOD, COHERE, 405, null, null, "method {method} not allowed on {path}").modelled();
        row(RATE_LIMITED, COHERE, 429, null, null,
                "You are past the per minute request limit, please wait and try again later.").throttle();
        row(QUOTA_EXCEEDED, COHERE, 429, null, null,
                "You are using a Trial key, which is limited to 1000 API calls / month. You can continue to use the "
                        + "Trial key for free or upgrade to a Production key with higher rate limits at "
                        + "'https://dashboard.cohere.com/api-keys'.");
        row(IP_BLOCKED, COHERE, 403, null, null, "requests from IP address {ip} are not allowed").modelled();
        row(REGION_BLOCKED, COHERE, 403, null, null, "this service is not available in your region ({region})").modelled();
        row(OLD_API_VERSION, COHERE, 404, null, null, "{method} {path} not found: this API version is not supported").modelled();
        variant(OLD_API_VERSION, COHERE, "retired_endpoint", 404, null, null,
                "{method} {path} was removed: use the v2 API (https://docs.cohere.com/v2/docs/migrating-v1-to-v2)").modelled();
        row(MODEL_NOT_FOUND, COHERE, 404, null, null,
                "model '{model}' not found, make sure the correct model ID was used and that you have access to the model.");
        variant(MODEL_NOT_FOUND, COHERE, "retired_model", 404, null, null,
                "model '{model}' was removed, see https://docs.cohere.com/docs/deprecations").modelled();
        row(OVERLOADED, COHERE, 503, null, null, "the service is overloaded, please try again later").modelled();
        row(SERVER_ERROR, COHERE, 500, null, null, "internal server error, this has been reported to our developers");
        transport(COHERE);
        row(STREAM_ERROR, COHERE, 200, null, null, "internal server error, this has been reported to our developers")
                .modelled();
    }

    private void zhipu() {
        row(MISSING_TOKEN, ZHIPU, 401, "1001", null, "Authentication parameter not received in Header, unable to authenticate");
        row(INVALID_TOKEN, ZHIPU, 401, "1002", null, "Authorization Token illegal").modelled();
        row(EXPIRED_TOKEN, ZHIPU, 401, "1003", null, "Authorization Token expired");
        row(INSUFFICIENT_SCOPE, ZHIPU, 403, "1220", null, "You do not have permission to access {path}").modelled();
        row(MALFORMED_BODY, ZHIPU, 400, "1210", null, "Incorrect API call parameters, please check the documentation.");
        variant(MALFORMED_BODY, ZHIPU, "content_type", 400, "1210", null,
                "Incorrect API call parameters: unsupported content type {contentType}").modelled();
        variant(MALFORMED_BODY, ZHIPU, "too_large", 413, "1261", null, "Prompt exceeds max length").modelled();
        variant(MALFORMED_BODY, ZHIPU, "invalid_type", 400, "1214", null, "Illegal value for {field}: {detail}");
        row(MISSING_FIELD, ZHIPU, 400, "1213", null, "The {field} field was not received properly").modelled();
        row(WRONG_METHOD, ZHIPU, 405, "1212", null, "The current API does not support the {method} call method").modelled();
        row(RATE_LIMITED, ZHIPU, 429, "1302", null,
                "High concurrency usage of this API, please reduce concurrency or contact customer service to increase limits")
                .throttle();
        variant(RATE_LIMITED, ZHIPU, "tokens", 429, "1303", null,
                "High frequency usage of this API, please reduce frequency or contact customer service to increase limits")
                .throttle().modelled();
        row(QUOTA_EXCEEDED, ZHIPU, 429, "1113", null, "Your account is in arrears, please recharge and try again");
        variant(QUOTA_EXCEEDED, ZHIPU, "daily", 429, "1304", null,
                "The daily call limit for this API has been reached. Please try again tomorrow.").modelled();
        row(IP_BLOCKED, ZHIPU, 403, "1220", null, "You do not have permission to access {path} from IP {ip}").modelled();
        row(REGION_BLOCKED, ZHIPU, 403, "1220", null, "You do not have permission to access {path} from region {region}")
                .modelled();
        row(OLD_API_VERSION, ZHIPU, 404, "1222", null, "The API {path} does not exist").modelled();
        variant(OLD_API_VERSION, ZHIPU, "retired_endpoint", 404, "1221", null, "The API {path} is offline").modelled();
        row(MODEL_NOT_FOUND, ZHIPU, 400, "1211", null, "Model does not exist, please check the model code");
        variant(MODEL_NOT_FOUND, ZHIPU, "retired_model", 400, "1211", null, "Model {model} is offline").modelled();
        row(OVERLOADED, ZHIPU, 429, "1305", null, "The service may be temporarily overloaded, please try again later")
                .modelled();
        row(SERVER_ERROR, ZHIPU, 500, "1234", null, "Network error, error id: {requestId}, please contact customer service");
        variant(SERVER_ERROR, ZHIPU, "api_call_error", 500, "1200", null, "API call error");
        transport(ZHIPU);
        row(STREAM_ERROR, ZHIPU, 200, "1234", null, "Network error, error id: {requestId}, please contact customer service")
                .modelled();
    }

    /** Transport faults render no error body: the rows record their status for completeness. */
    private void transport(Provider p) {
        row(SLOW_RESPONSE, p, 200, null, null, "");
        row(CONNECTION_RESET, p, 0, null, null, "");
        row(STREAM_INTERRUPTED, p, 200, null, null, "");
    }

    // ---- lookup ----

    /** The rendering of a fault by a provider, the named variant if it exists, else the main one. */
    public Rendering lookup(Fault fault, Provider provider, String variant) {
        Map<String, Rendering> variants = rows.get(provider).get(fault);
        if (variants == null) {
            throw new IllegalStateException("the catalogue has no row for " + fault + " on " + provider);
        }
        Rendering r = variant == null ? null : variants.get(variant);
        return r != null ? r : variants.get("");
    }

    public Rendering lookup(Fault fault, Provider provider) {
        return lookup(fault, provider, "");
    }

    /** Every row, for documentation and the table-driven tests. */
    public List<Rendering> all() {
        List<Rendering> out = new ArrayList<>();
        rows.values().forEach(byFault -> byFault.values().forEach(v -> out.addAll(v.values())));
        return Collections.unmodifiableList(out);
    }

    // ---- table building ----

    private RowBuilder row(Fault f, Provider p, int status, String type, String code, String message) {
        return variant(f, p, "", status, type, code, message);
    }

    private RowBuilder variant(Fault f, Provider p, String variant, int status, String type, String code, String message) {
        RowBuilder b = new RowBuilder(f, p, variant, status, type, code, message);
        b.store();
        return b;
    }

    /** Collects a row; every setter stores the row again, so a chain needs no closing call. */
    private final class RowBuilder {
        private final Fault fault;
        private final Provider provider;
        private final String variant;
        private final int status;
        private final String type;
        private final String code;
        private final String message;
        private String param;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private boolean throttle;
        private boolean verified = true;

        RowBuilder(Fault fault, Provider provider, String variant, int status, String type, String code, String message) {
            this.fault = fault;
            this.provider = provider;
            this.variant = variant;
            this.status = status;
            this.type = type;
            this.code = code;
            this.message = message;
        }

        RowBuilder param(String param) { this.param = param; return store(); }
        RowBuilder header(String name, String value) { headers.put(name, value); return store(); }
        RowBuilder throttle() { this.throttle = true; return store(); }
        RowBuilder modelled() { this.verified = false; return store(); }

        RowBuilder store() {
            rows.computeIfAbsent(provider, p -> new EnumMap<>(Fault.class))
                    .computeIfAbsent(fault, f -> new LinkedHashMap<>())
                    .put(variant, new Rendering(fault, provider, variant, status, type, code, param, message,
                            Map.copyOf(headers), throttle, verified));
            return this;
        }
    }
}
