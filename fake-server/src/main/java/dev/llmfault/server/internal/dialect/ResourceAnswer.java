package dev.llmfault.server.internal.dialect;

/**
 * What a dialect answers on a {@link Route.Kind#RESOURCE} route: a JSON body with its status, or a refusal
 * rendered from the catalogue (an unknown id is the provider's 404).
 *
 * <pre>{@code
 * return stored == null ? ResourceAnswer.refused(Rejection.of(Fault.MODEL_NOT_FOUND, "...")) : ResourceAnswer.ok(bytes);
 * }</pre>
 */
public record ResourceAnswer(int status, byte[] body, Rejection rejection) {

    public static ResourceAnswer ok(byte[] body) {
        return new ResourceAnswer(200, body, null);
    }

    public static ResourceAnswer refused(Rejection rejection) {
        return new ResourceAnswer(0, null, rejection);
    }
}
