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
