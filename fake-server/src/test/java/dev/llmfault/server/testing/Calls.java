package dev.llmfault.server.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Provider;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A well-formed chat call for each provider, the way its SDK sends it: the path, the credential header,
 * the required headers and a minimal valid body. Tests start from one and break exactly one thing.
 */
public final class Calls {
    public static final String ANTHROPIC_VERSION = "2023-06-01";

    private Calls() {
    }

    /** The chat endpoint's path. */
    public static String chatPath(Provider p) {
        return switch (p) {
            case OPENAI -> "/v1/chat/completions";
            case ANTHROPIC -> "/v1/messages";
            case COHERE -> "/v2/chat";
            case ZHIPU -> "/api/paas/v4/chat/completions";
        };
    }

    public static URI chatUri(FakeLlmServer server, Provider p) {
        return server.url().resolve(chatPath(p));
    }

    /** A model each provider lists by default. */
    public static String model(Provider p) {
        return switch (p) {
            case OPENAI -> "gpt-4o-mini";
            case ANTHROPIC -> "claude-sonnet-4-5";
            case COHERE -> "command-r-plus";
            case ZHIPU -> "glm-4-flash";
        };
    }

    /** A key that looks like one of the provider's. */
    public static String key(Provider p) {
        return switch (p) {
            case OPENAI -> "sk-proj-test0123456789abcdefWXYZ";
            case ANTHROPIC -> "sk-ant-api03-test0123456789abcdefWXYZ";
            case COHERE -> "co0123456789abcdefghijklmnopqrstuvwxyzAB";
            case ZHIPU -> "0123456789abcdef0123456789abcdef.SecretPart0123456";
        };
    }

    /** Content type, credential and required headers. */
    public static Map<String, String> headers(Provider p) {
        return headers(p, key(p));
    }

    public static Map<String, String> headers(Provider p, String key) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        h.putAll(credential(p, key));
        if (p == Provider.ANTHROPIC) {
            h.put("anthropic-version", ANTHROPIC_VERSION);
        }
        return h;
    }

    /** Only the credential header, as the provider's SDK sends it. */
    public static Map<String, String> credential(Provider p, String key) {
        return p == Provider.ANTHROPIC ? Map.of("x-api-key", key) : Map.of("Authorization", "Bearer " + key);
    }

    /** A minimal valid body with one user message. */
    public static ObjectNode body(Provider p, boolean stream) {
        return body(p, stream, "Say hello");
    }

    public static ObjectNode body(Provider p, boolean stream, String userText) {
        ObjectNode b = Answer.JSON.createObjectNode();
        b.put("model", model(p));
        if (p == Provider.ANTHROPIC) {
            b.put("max_tokens", 256);
        }
        b.putArray("messages").addObject().put("role", "user").put("content", userText);
        if (stream) {
            b.put("stream", true);
        }
        return b;
    }

    /** Sends a valid chat call, plain or streamed. */
    public static Answer chat(FakeLlmServer server, Provider p, boolean stream) {
        return Http.send("POST", chatUri(server, p), headers(p), body(p, stream).toString());
    }

    /** Sends a valid chat call with this key (or token) as the provider's SDK sends it. */
    public static Answer chat(FakeLlmServer server, Provider p, String key) {
        return chat(server, p, key, Map.of());
    }

    /** Sends a valid chat call with this key, plus these headers (replacing any of the same name). */
    public static Answer chat(FakeLlmServer server, Provider p, String key, Map<String, String> extraHeaders) {
        Map<String, String> h = headers(p, key);
        for (Map.Entry<String, String> e : extraHeaders.entrySet()) {
            h = with(h, e.getKey(), e.getValue());
        }
        return chat(server, p, h, body(p, false).toString());
    }

    /** Asks the OAuth token endpoint ({@code POST /oauth/token}) with this form ({@code grant_type=...&...}). */
    public static Answer oauthToken(FakeLlmServer server, String form) {
        return oauthToken(server, form, Map.of());
    }

    public static Answer oauthToken(FakeLlmServer server, String form, Map<String, String> headers) {
        return Http.postForm(server.url().resolve("/oauth/token"), form, headers);
    }

    /** Sends a chat call with these headers and this body text. */
    public static Answer chat(FakeLlmServer server, Provider p, Map<String, String> headers, String body) {
        return Http.send("POST", chatUri(server, p), headers, body);
    }

    /** A copy of the headers with one replaced ({@code null} value: removed). */
    public static Map<String, String> with(Map<String, String> headers, String name, String value) {
        Map<String, String> h = new LinkedHashMap<>();
        headers.forEach((k, v) -> {
            if (!k.equalsIgnoreCase(name)) {
                h.put(k, v);
            }
        });
        if (value != null) {
            h.put(name, value);
        }
        return h;
    }
}
