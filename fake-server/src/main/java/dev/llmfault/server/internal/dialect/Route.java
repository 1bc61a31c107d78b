package dev.llmfault.server.internal.dialect;

/**
 * A provider endpoint: method and path (exact, or a prefix ending in '/').
 *
 * @param kind what the endpoint does, so the pipeline knows whether a body is expected
 */
public record Route(String method, String path, Kind kind) {

    public enum Kind {
        /** A chat call: JSON body, plain or streamed answer. */
        CHAT,
        /** A model list or model lookup: no body. */
        MODELS
    }

    public boolean matchesPath(String requestPath) {
        return path.endsWith("/") ? requestPath.startsWith(path) && requestPath.length() > path.length()
                : path.equals(requestPath);
    }

    public boolean takesBody() {
        return kind == Kind.CHAT;
    }
}
