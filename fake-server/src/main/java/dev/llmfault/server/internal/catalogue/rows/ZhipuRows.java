package dev.llmfault.server.internal.catalogue.rows;

import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.catalogue.RowTable;

import static dev.llmfault.server.Fault.*;

/**
 * How Zhipu GLM (BigModel) answers every fault: the ZHIPU rows of the fault catalogue. Sources: {@code shared/spec/providers.md}
 * and {@code faults.md}; rows marked {@code modelled()} are our best guess where no real answer was seen.
 */
public final class ZhipuRows implements ProviderRows {
    @Override
    public Provider provider() {
        return Provider.ZHIPU;
    }

    @Override
    public void addTo(RowTable t) {
        t.row(MISSING_TOKEN, 401, "1001", null, "Authentication parameter not received in Header, unable to authenticate");
        t.row(INVALID_TOKEN, 401, "1002", null, "Authorization Token illegal").modelled();
        t.row(EXPIRED_TOKEN, 401, "1003", null, "Authorization Token expired");
        t.row(INSUFFICIENT_SCOPE, 403, "1220", null, "You do not have permission to access {path}").modelled();
        t.row(MALFORMED_BODY, 400, "1210", null, "Incorrect API call parameters, please check the documentation.");
        t.variant(MALFORMED_BODY, "content_type", 400, "1210", null,
                "Incorrect API call parameters: unsupported content type {contentType}").modelled();
        t.variant(MALFORMED_BODY, "too_large", 413, "1261", null, "Prompt exceeds max length").modelled();
        t.variant(MALFORMED_BODY, "invalid_type", 400, "1214", null, "Illegal value for {field}: {detail}");
        t.row(MISSING_FIELD, 400, "1213", null, "The {field} field was not received properly").modelled();
        t.row(WRONG_METHOD, 405, "1212", null, "The current API does not support the {method} call method").modelled();
        t.row(RATE_LIMITED, 429, "1302", null,
                "High concurrency usage of this API, please reduce concurrency or contact customer service to increase limits")
                .throttle();
        t.variant(RATE_LIMITED, "tokens", 429, "1303", null,
                "High frequency usage of this API, please reduce frequency or contact customer service to increase limits")
                .throttle().modelled();
        t.row(QUOTA_EXCEEDED, 429, "1113", null, "Your account is in arrears, please recharge and try again");
        t.variant(QUOTA_EXCEEDED, "daily", 429, "1304", null,
                "The daily call limit for this API has been reached. Please try again tomorrow.").modelled();
        t.row(IP_BLOCKED, 403, "1220", null, "You do not have permission to access {path} from IP {ip}").modelled();
        t.row(REGION_BLOCKED, 403, "1220", null, "You do not have permission to access {path} from region {region}")
                .modelled();
        t.row(OLD_API_VERSION, 404, "1222", null, "The API {path} does not exist").modelled();
        t.variant(OLD_API_VERSION, "retired_endpoint", 404, "1221", null, "The API {path} is offline").modelled();
        t.row(MODEL_NOT_FOUND, 400, "1211", null, "Model does not exist, please check the model code");
        t.variant(MODEL_NOT_FOUND, "retired_model", 400, "1211", null, "Model {model} is offline").modelled();
        t.row(OVERLOADED, 429, "1305", null, "The service may be temporarily overloaded, please try again later")
                .modelled();
        t.row(SERVER_ERROR, 500, "1234", null, "Network error, error id: {requestId}, please contact customer service");
        t.variant(SERVER_ERROR, "api_call_error", 500, "1200", null, "API call error");
        // verified: {"error":{"code":"1261","message":"Prompt exceeds max length"}} with a 400 (zeroclaw-labs/zeroclaw#4124,
        // NousResearch/hermes-agent#1877)
        t.row(CONTEXT_LENGTH_EXCEEDED, 400, "1261", null, "Prompt exceeds max length");
        // The model's own failures: finish_reason stop, length, tool_calls, sensitive (docs.bigmodel.cn). A prompt the
        // filter refuses is a 400 with error 1301, verified: the body quoted in langchain4j/langchain4j#1079; an
        // answer filtered while it streams ends with finish_reason sensitive.
        t.row(LENGTH_TRUNCATED, 200, "length", null, "");
        t.row(CONTENT_FILTERED, 400, "1301", null, "系统检测到输入或生成内容可能包含不安全或敏感内容，请您避免输入易产生敏感内容的提示语，感谢您的配合。");
        t.variant(CONTENT_FILTERED, "stream", 200, "sensitive", null, "");
        t.row(INVALID_JSON_OUTPUT, 200, "stop", null, "");
        t.row(UNKNOWN_TOOL_CALL, 200, "tool_calls", null, "");
        t.row(INVALID_TOOL_ARGUMENTS, 200, "tool_calls", null, "");
        t.transport();
        t.row(STREAM_ERROR, 200, "1234", null, "Network error, error id: {requestId}, please contact customer service")
                .modelled();
    }
}
