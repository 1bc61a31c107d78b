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
    public static final String ANTHROPIC_VERSION = AnthropicFixture.VERSION;

    private Calls() {
    }

    /** The path of a plain model call. */
    public static String chatPath(Provider p) {
        return ProviderFixture.of(p).chatPath(false);
    }

    /** The path of a plain or a streamed model call (Gemini streams on another path). */
    public static String chatPath(Provider p, boolean stream) {
        return ProviderFixture.of(p).chatPath(stream);
    }

    public static URI chatUri(FakeLlmServer server, Provider p) {
        return server.url().resolve(chatPath(p));
    }

    public static URI chatUri(FakeLlmServer server, Provider p, boolean stream) {
        return server.url().resolve(chatPath(p, stream));
    }

    /** A model each provider lists by default. */
    public static String model(Provider p) {
        return ProviderFixture.of(p).model();
    }

    /** A key that looks like one of the provider's. */
    public static String key(Provider p) {
        return ProviderFixture.of(p).key();
    }

    /** Content type, credential and required headers. */
    public static Map<String, String> headers(Provider p) {
        return headers(p, key(p));
    }

    public static Map<String, String> headers(Provider p, String key) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        h.putAll(credential(p, key));
        h.putAll(ProviderFixture.of(p).requiredHeaders());
        return h;
    }

    /** The headers of a valid call without its credential. */
    public static Map<String, String> headersWithoutKey(Provider p) {
        return with(headers(p), ProviderFixture.of(p).credentialHeader(), null);
    }

    /** Only the credential header, as the provider's SDK sends it. */
    public static Map<String, String> credential(Provider p, String key) {
        return ProviderFixture.of(p).credential(key);
    }

    /** A minimal valid body with one user message. */
    public static ObjectNode body(Provider p, boolean stream) {
        return body(p, stream, "Say hello");
    }

    public static ObjectNode body(Provider p, boolean stream, String userText) {
        return ProviderFixture.of(p).body(stream, userText);
    }

    /** Sends a valid chat call, plain or streamed. */
    public static Answer chat(FakeLlmServer server, Provider p, boolean stream) {
        return Http.send("POST", chatUri(server, p, stream), headers(p), body(p, stream).toString());
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
