package dev.llmfault.server.internal.dialect;

import java.util.Map;

/**
 * The parts of an HTTP request a dialect reads. Header names are lower case.
 */
public record IncomingRequest(String method, String path, String query, Map<String, String> headers,
                              String contentType, String clientAddress) {

    public String header(String lowerCaseName) {
        return headers.get(lowerCaseName);
    }

    /** The first value of a query parameter (decoded), "" when it has none, null when it is absent. */
    public String queryParam(String name) {
        if (query == null || query.isEmpty()) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (decode(key).equals(name)) {
                return eq < 0 ? "" : decode(pair.substring(eq + 1));
            }
        }
        return null;
    }

    private static String decode(String s) {
        try {
            return java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return s;
        }
    }

    /** The token of an {@code Authorization: Bearer X} header, "" for a bare "Bearer", null otherwise. */
    public String bearer() {
        String auth = headers.get("authorization");
        if (auth == null) {
            return null;
        }
        String trimmed = auth.trim();
        if (trimmed.regionMatches(true, 0, "Bearer", 0, 6) && (trimmed.length() == 6 || trimmed.charAt(6) == ' ')) {
            return trimmed.substring(6).trim();
        }
        return null;
    }
}
