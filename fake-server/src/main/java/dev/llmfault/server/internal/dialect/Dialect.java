package dev.llmfault.server.internal.dialect;

import dev.llmfault.server.Conversation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.catalogue.Placeholder;
import dev.llmfault.server.internal.catalogue.Rendering;
import dev.llmfault.server.internal.catalogue.Vars;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * One provider's wire format: its routes, the paths it owns, its default models, how a call is read from
 * its request shape, and how successes, streams and errors look. Statuses and messages come from the fault
 * catalogue (the provider's {@code rows/} class); a dialect only knows shapes. The pipeline knows no
 * provider's field names: everything provider-specific is asked of the dialect.
 *
 * <p>A provider is this class, its catalogue rows, and one test fixture; {@link Dialects#of} lists it.
 *
 * <pre>{@code
 * public final class AcmeDialect implements Dialect {
 *     public Provider provider() { return Provider.ACME; }
 *     public List<Route> routes() { return List.of(new Route("POST", "/acme/v1/generate/{model}", Route.Kind.CHAT)); }
 *     public ChatCall readCall(RouteMatch m, IncomingRequest in, JsonNode body) {
 *         return new ChatCall(body, m, m.param("model"), in.queryParam("stream") != null, false,
 *                 TokenCounter.textTokens(body.get("prompt")), body.path("max_new_tokens").asInt(0));
 *     }
 *     ...
 * }
 * }</pre>
 */
public interface Dialect {

    Provider provider();

    /**
     * The OpenAI-compatible vendor this dialect serves under a base path of its own ({@code mistral}), which the
     * journal names; null for a provider's own dialect.
     */
    default String alias() {
        return null;
    }

    /** The endpoints this provider serves; path parameters in braces. */
    List<Route> routes();

    /**
     * How strongly an unknown path (or a route another provider shares) belongs to this provider: 0 not at
     * all, {@link #CLAIM_FALLBACK} as the last resort, the length of a matched path prefix, or
     * {@link #CLAIM_HEADER} when the request carries a header only this provider's clients send.
     */
    int claim(IncomingRequest request);

    int CLAIM_FALLBACK = 1;
    int CLAIM_HEADER = 1000;

    /** The models listed when the user configures none, each with its context window. */
    List<ModelSpec> defaultModels();

    /** Name of the request-id response header. */
    String requestIdHeader();

    /** A fresh request id in the provider's format. */
    String newRequestId();

    /**
     * The raw credential sent (from a header or a query parameter), "" when a credential is present but
     * empty, null when none is.
     */
    String credential(IncomingRequest request);

    /**
     * Whether a call without a credential is refused before anything else. Ollama takes none by default: then
     * only an active credentials policy refuses it (a reverse proxy that demands a bearer token).
     */
    default boolean credentialRequired() {
        return true;
    }

    /** Header and query rules of the provider (Anthropic's version header), or null when they hold. */
    default Rejection checkHeaders(IncomingRequest request) {
        return null;
    }

    /**
     * The model the request names (from the path or the body), read before validation so that a refused
     * call is journaled with its model; null when none can be read. The body is null or any JSON value.
     */
    String model(RouteMatch route, JsonNode body);

    /** Required fields and their types, or null when the body is acceptable. */
    Rejection checkBody(RouteMatch route, JsonNode body);

    /** Reads a call whose body passed {@link #checkBody}. */
    ChatCall readCall(RouteMatch route, IncomingRequest request, JsonNode body);

    /**
     * The conversation of a model call's body in the provider-neutral shape: its messages (tool calls and tool
     * results included), the tools offered, the output schema asked for. Read leniently: what is missing or of
     * the wrong type is left out, never refused (validation is {@link #checkBody}'s). Used by reply rules, agent
     * validation, the model's own faults and, from the journal, the agent assertions.
     */
    Conversation conversation(RouteMatch route, JsonNode body);

    /**
     * Whether a model call's body may ask for a structured answer (an output schema, or a forced tool), answered from
     * the fields present, before and instead of reading the whole {@link #conversation}: false promises that the
     * conversation has neither {@link Conversation#outputSchema()} nor {@link Conversation#forcedTool()}, so the
     * default answer of a plain call costs no conversation read. True is always safe (the conversation is then read
     * and decides); the default says true.
     *
     * <pre>{@code
     * public boolean mayAskForStructuredOutput(RouteMatch route, JsonNode body) {
     *     return body.has("response_format") || body.has("tool_choice");
     * }
     * }</pre>
     */
    default boolean mayAskForStructuredOutput(RouteMatch route, JsonNode body) {
        return true;
    }

    /**
     * The id of a tool call the fake model makes, in the provider's format, from a seed (the same seed, the same
     * id: tests can name ids and a retried request gets the same ones). The default is OpenAI's {@code call_}
     * and 24 letters and digits; a provider with another format overrides it (Anthropic {@code toolu_01...}).
     */
    default String toolCallId(long seed) {
        return Ids.seeded("call_", 24, seed);
    }

    /**
     * {@link #toolCallId(long)} for a call of this tool, for providers whose ids carry the tool's name (Cohere's
     * {@code get_weather_...}); null when the provider's calls carry no id (Gemini's {@code functionCall}).
     */
    default String toolCallId(String toolName, long seed) {
        return toolCallId(seed);
    }

    /** What a provider counts against a model's context window, and whether it refuses a call that does not fit. */
    enum ContextCheck {
        /** The prompt plus the output tokens the request reserves must fit (OpenAI, Anthropic ...). */
        PROMPT_AND_OUTPUT,
        /** Only the prompt must fit; the output is capped by the model instead (Gemini's input token limit). */
        PROMPT_ONLY,
        /** Nothing is refused: the prompt is cut to fit and the call answered (Ollama, whose log only warns). */
        TRUNCATE
    }

    /** How this provider treats a call that does not fit its model's context window (see {@link ContextWindow}). */
    default ContextCheck contextCheck() {
        return ContextCheck.PROMPT_AND_OUTPUT;
    }

    /** A plain success answer for a model call (JSON). */
    byte[] chatResponse(ChatCall call, Answer reply, String requestId);

    /** The content type of a streamed answer (it may depend on the call: Gemini without {@code alt=sse}). */
    default String streamContentType(ChatCall call) {
        return "text/event-stream; charset=utf-8";
    }

    /** A framer for one streamed answer. */
    StreamFramer streamFramer(ChatCall call, Answer reply, String requestId);

    /**
     * Whether one frame of a stream in this provider's format carries content (a piece of text or of tool-call
     * arguments that reaches the caller): what {@code afterChunks} counts on a stream the server did not write
     * itself (forwarded in proxy mode, or replayed from a fixture). Frames are whole (see the proxy's splitter).
     */
    boolean isContentDelta(byte[] frame);

    /** One model in the provider's shape (for {@link Route.Kind#MODEL}), or null when it has no such endpoint. */
    default ObjectNode modelEntry(String id) {
        return null;
    }

    /** The model list in the provider's shape (for {@link Route.Kind#MODELS}), or null when it has none. */
    default ObjectNode modelList(List<String> models) {
        return null;
    }

    /** Forgets what the dialect stored for this server (stored responses): the server's reset. */
    default void reset() {
    }

    /** Answers a {@link Route.Kind#RESOURCE} route; {@code body} is null when the route takes none. */
    default ResourceAnswer resource(RouteMatch route, IncomingRequest request, JsonNode body, List<String> models) {
        throw new UnsupportedOperationException(provider() + " declares no resource route " + route.route());
    }

    /** The provider's error envelope (JSON). */
    byte[] errorBody(Rendering rendering, Vars vars, String message, String requestId);

    /**
     * Values this provider's messages need from the request (Anthropic's {@code {version}}), and the field an
     * injected MISSING_FIELD names: one the request did have, the one the provider requires first.
     */
    default void requestVars(IncomingRequest request, Vars vars) {
        vars.put(Placeholder.FIELD, "messages");
    }

    /** Headers the provider puts on every answer besides the request id (OpenAI's processing time). */
    default void commonHeaders(long processingMs, BiConsumer<String, String> header) {
    }

    /** Where a provider's error answers carry the wait they ask of the client. */
    enum RetryHint {
        /** {@code Retry-After} and the like, written by {@link #throttleHeaders}. */
        HEADERS,
        /** In the error body (Gemini's {@code google.rpc.RetryInfo}), written by {@link #errorBody}. */
        BODY,
        /** Nowhere: the provider never asks for a wait (Ollama). */
        NONE
    }

    /** Where this provider's answers carry the retry hint, so the journal records what a client was asked to wait. */
    default RetryHint retryHint() {
        return RetryHint.HEADERS;
    }

    /** The provider's rate-limit and retry headers. */
    void throttleHeaders(Throttle throttle, BiConsumer<String, String> header);
}
