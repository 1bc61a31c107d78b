package dev.llmfault.server.internal.dialect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A provider endpoint: a method and a path pattern whose {@code {name}} parts are path parameters, each
 * one path segment or part of one ({@code /v1beta/models/{model}:generateContent}). Parameter values are
 * percent-decoded (Bedrock model ids arrive as {@code anthropic.claude-v2%3A1}).
 *
 * <pre>{@code
 * Route r = new Route("POST", "/openai/deployments/{deployment}/chat/completions", Route.Kind.CHAT);
 * r.match("/openai/deployments/my-gpt/chat/completions").get("deployment"); // "my-gpt"
 * }</pre>
 *
 * @param kind what the endpoint does, so the pipeline knows whether a body is expected and who answers
 */
public final class Route {

    public enum Kind {
        /** A model call: JSON body, plain or streamed answer; faults and policies apply. */
        CHAT,
        /** The model list: no body. */
        MODELS,
        /** One model, named by the path parameter {@code {model}}: no body. */
        MODEL,
        /** Anything else the dialect answers itself (token counting, stored responses): see {@link Dialect#resource}. */
        RESOURCE
    }

    private final String method;
    private final String pattern;
    private final Kind kind;
    private final List<String> parts;
    private final int specificity;

    public Route(String method, String pattern, Kind kind) {
        this.method = method;
        this.pattern = pattern;
        this.kind = kind;
        this.parts = parts(pattern);
        this.specificity = parts.stream().filter(p -> !p.startsWith("{")).mapToInt(String::length).sum();
    }

    public String method() {
        return method;
    }

    public String pattern() {
        return pattern;
    }

    public Kind kind() {
        return kind;
    }

    /** The path parameters when the path matches, else null. */
    public Map<String, String> match(String path) {
        if (parts.size() == 1) { // no parameter: the common case, no allocation
            return parts.get(0).equals(path) ? Map.of() : null;
        }
        Map<String, String> params = new LinkedHashMap<>(2);
        return match(parts, 0, path, 0, params) ? params : null;
    }

    /** How much of the pattern is literal: among routes matching a path, the most literal one wins. */
    public int specificity() {
        return specificity;
    }

    @Override
    public String toString() {
        return method + " " + pattern;
    }

    public boolean takesBody() {
        return kind == Kind.CHAT || kind == Kind.RESOURCE && !method.equals("GET") && !method.equals("DELETE");
    }

    private static boolean match(List<String> parts, int p, String path, int at, Map<String, String> params) {
        if (p == parts.size()) {
            return at == path.length();
        }
        String part = parts.get(p);
        if (!part.startsWith("{")) {
            return path.startsWith(part, at) && match(parts, p + 1, path, at + part.length(), params);
        }
        // A parameter: one or more characters of one segment; try the shortest value that lets the rest match.
        for (int end = at + 1; end <= path.length(); end++) {
            if (path.charAt(end - 1) == '/') {
                return false;
            }
            if (match(parts, p + 1, path, end, params)) {
                params.put(part.substring(1, part.length() - 1), decode(path.substring(at, end)));
                return true;
            }
        }
        return false;
    }

    /** Literal parts and {@code {name}} parts, in order. */
    private static List<String> parts(String pattern) {
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("a route pattern starts with '/': " + pattern);
        }
        List<String> parts = new ArrayList<>(4);
        int i = 0;
        while (i < pattern.length()) {
            int open = pattern.indexOf('{', i);
            if (open < 0) {
                parts.add(pattern.substring(i));
                break;
            }
            if (open > i) {
                parts.add(pattern.substring(i, open));
            }
            int close = pattern.indexOf('}', open);
            if (close < 0 || close == open + 1) {
                throw new IllegalArgumentException("unclosed or empty parameter in route pattern " + pattern);
            }
            if (!parts.isEmpty() && parts.get(parts.size() - 1).startsWith("{")) {
                throw new IllegalArgumentException("two parameters side by side in route pattern " + pattern);
            }
            parts.add(pattern.substring(open, close + 1));
            i = close + 1;
        }
        return parts;
    }

    private static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        try {
            return java.net.URLDecoder.decode(s.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return s;
        }
    }
}
