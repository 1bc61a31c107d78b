package dev.llmfault.server.internal.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.catalogue.Rendering;
import dev.llmfault.server.internal.catalogue.Vars;
import dev.llmfault.server.internal.json.Json;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * One provider's wire format: its paths, how it carries credentials, what it requires of a request,
 * and how it writes successes, streams and errors. Statuses and messages come from the fault catalogue;
 * a dialect only knows the shape of the envelope.
 */
public interface Dialect {

    Provider provider();

    /** The endpoints this provider serves. */
    List<Route> routes();

    /** Name of the request-id response header. */
    String requestIdHeader();

    /** A fresh request id in the provider's format. */
    String newRequestId();

    /** The raw credential sent, "" when a credential header is present but empty, null when none is. */
    String credential(IncomingRequest request);

    /** Header rules of the provider (Anthropic's version header), or null when they hold. */
    default Rejection checkHeaders(IncomingRequest request) {
        return null;
    }

    /** Required fields and their types, or null when the body is acceptable. */
    Rejection checkBody(Route route, JsonNode body);

    /** Whether the request asks for a stream. */
    default boolean wantsStream(JsonNode body) {
        JsonNode s = body.get("stream");
        return s != null && s.asBoolean(false);
    }

    /** Whether a stream should end with a usage chunk (OpenAI's {@code stream_options.include_usage}). */
    default boolean wantsStreamUsage(JsonNode body) {
        return false;
    }

    /** A plain success answer for a chat call. */
    byte[] chatResponse(ChatCall call, Reply reply, String requestId);

    /**
     * The body of a model lookup ({@code /v1/models/{id}}, null when the model is not listed) or of the model
     * list; null when the provider has no such endpoint. Dialects give the shapes, this gives the logic.
     */
    default byte[] modelsResponse(String path, List<String> models) {
        String lookup = "/v1/models/";
        if (path.startsWith(lookup)) {
            String id = path.substring(lookup.length());
            ObjectNode one = models.contains(id) ? modelEntry(id) : null;
            return one == null ? null : Json.bytes(one);
        }
        ObjectNode list = modelList(models);
        return list == null ? null : Json.bytes(list);
    }

    /** One model in the provider's shape, or null when it has no models endpoint. */
    default ObjectNode modelEntry(String id) {
        return null;
    }

    /** The model list in the provider's shape, or null when it has no models endpoint. */
    default ObjectNode modelList(List<String> models) {
        return null;
    }

    /** The complete SSE frames of a streamed answer, terminal event included, each ready to write. */
    List<byte[]> streamFrames(ChatCall call, Reply reply, String requestId);

    /** The provider's mid-stream error frame. */
    byte[] streamErrorFrame(Rendering rendering, String message, String requestId);

    /** The provider's error envelope. */
    byte[] errorBody(Rendering rendering, Vars vars, String message, String requestId);

    /** Headers the provider puts on every answer besides the request id (OpenAI's processing time). */
    default void commonHeaders(long processingMs, BiConsumer<String, String> header) {
    }

    /** The provider's rate-limit and retry headers. */
    void throttleHeaders(Throttle throttle, BiConsumer<String, String> header);
}
