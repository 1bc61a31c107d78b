package dev.llmfault.server.internal.dialect;

import java.util.Map;

/**
 * A route and the path parameters a request gave it.
 *
 * <pre>{@code
 * RouteMatch m = ...; // POST /v1beta/models/gemini-2.0-flash:streamGenerateContent
 * m.param("model");   // "gemini-2.0-flash"
 * }</pre>
 */
public record RouteMatch(Route route, Map<String, String> params) {

    /** A path parameter, or null when the route has none of that name. */
    public String param(String name) {
        return params.get(name);
    }

    public Route.Kind kind() {
        return route.kind();
    }
}
