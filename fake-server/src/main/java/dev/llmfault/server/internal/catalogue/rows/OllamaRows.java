package dev.llmfault.server.internal.catalogue.rows;

import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.catalogue.RowTable;

import static dev.llmfault.server.Fault.*;

/**
 * How Ollama answers every fault: the OLLAMA rows of the fault catalogue. Every error is {@code {"error":"..."}},
 * so a row has no type or code. Sources, per row: docs.ollama.com/api/errors ("docs": 400, 404, 429, 500, 502
 * and the mid-stream error line) and Ollama's {@code server/routes.go} and {@code server/sched.go} ("source").
 * A local Ollama asks for no credential and knows no quota, IP or region: those rows are what a reverse proxy or
 * ollama.com would answer, all {@code modelled()}.
 */
public final class OllamaRows implements ProviderRows {
    @Override
    public Provider provider() {
        return Provider.OLLAMA;
    }

    @Override
    public void addTo(RowTable t) {
        // ollama.com's AuthorizationError is {"error":"unauthorized","signin_url":...}; a proxy's 401 is like it
        t.row(MISSING_TOKEN, 401, null, null, "unauthorized").modelled();
        t.row(INVALID_TOKEN, 401, null, null, "unauthorized").modelled();
        t.row(EXPIRED_TOKEN, 401, null, null, "unauthorized: the access token expired")
                .header("WWW-Authenticate", "Bearer error=\"invalid_token\", error_description=\"The access token expired\"")
                .modelled();
        t.row(INSUFFICIENT_SCOPE, 403, null, null, "forbidden: missing scope {scope}")
                .header("WWW-Authenticate", "Bearer error=\"insufficient_scope\", scope=\"{scope}\"").modelled();
        // docs: 400 for invalid JSON; source: the handlers answer the JSON decoder's error text
        t.row(MALFORMED_BODY, 400, null, null, "{detail}");
        t.variant(MALFORMED_BODY, "content_type", 400, null, null, "invalid content type {contentType}").modelled();
        t.variant(MALFORMED_BODY, "too_large", 413, null, null, "request body too large: {size} bytes").modelled();
        t.variant(MALFORMED_BODY, "invalid_type", 400, null, null, "{detail}");
        // source: ChatHandler "model is required" (errRequired "is required")
        t.row(MISSING_FIELD, 400, null, null, "{field} is required");
        // source: gin with HandleMethodNotAllowed answers "405 method not allowed" (as text; here in the envelope)
        t.row(WRONG_METHOD, 405, null, null, "405 method not allowed").modelled();
        // docs: 429 "when a rate limit is exceeded" (ollama.com); the message is modelled
        t.row(RATE_LIMITED, 429, null, null, "too many requests, please retry later").modelled(); // no retry hint
        t.variant(RATE_LIMITED, "tokens", 429, null, null, "too many tokens, please retry later").modelled();
        t.row(QUOTA_EXCEEDED, 429, null, null, "you have reached your usage limit, upgrade for higher limits").modelled();
        t.row(IP_BLOCKED, 403, null, null, "forbidden: requests from {ip} are not allowed").modelled();
        t.row(REGION_BLOCKED, 403, null, null, "forbidden: not available in your region ({region})").modelled();
        // source: gin's NoRoute answer "404 page not found" (as text; here in the envelope)
        t.row(OLD_API_VERSION, 404, null, null, "404 page not found").modelled();
        // source: handleScheduleError for a model that was never pulled (os.ErrNotExist)
        t.row(MODEL_NOT_FOUND, 404, null, null, "model \"{model}\" not found, try pulling it first");
        // source: ChatHandler/GenerateHandler/ShowHandler for a name it does not know
        t.variant(MODEL_NOT_FOUND, "retired_model", 404, null, null, "model '{model}' not found");
        // source: sched.go ErrMaxQueue, answered 503 by handleScheduleError (OLLAMA_MAX_QUEUE reached)
        t.row(OVERLOADED, 503, null, null, "server busy, please try again.  maximum pending requests exceeded");
        // docs: the example error body
        t.row(SERVER_ERROR, 500, null, null, "the model failed to generate a response");
        // Ollama refuses no chat for its length: it cuts the prompt to num_ctx and answers (the runner logs
        // "truncating input prompt"), so the server never computes this fault for Ollama. Injected, it answers what
        // Ollama's embed endpoint says of an input too long for the context (OllamaSharp users quote it): modelled.
        t.row(CONTEXT_LENGTH_EXCEEDED, 400, null, null, "the input length exceeds the context length").modelled();
        // The model's own failures: done_reason "length" at num_predict, "stop" otherwise (tool calls included;
        // docs.ollama.com/api). Ollama has no content filter (a local model refuses in its own words): a filtered
        // answer is rendered as a plain stop after the pieces let through, modelled.
        t.row(LENGTH_TRUNCATED, 200, "length", null, "");
        t.row(CONTENT_FILTERED, 200, "stop", null, "").modelled();
        t.row(INVALID_JSON_OUTPUT, 200, "stop", null, "");
        t.row(UNKNOWN_TOOL_CALL, 200, "stop", null, "");
        t.row(INVALID_TOOL_ARGUMENTS, 200, "stop", null, "");
        t.transport();
        // docs: "Errors that occur while streaming", the example line
        t.row(STREAM_ERROR, 200, null, null, "an error was encountered while running the model");
    }
}
