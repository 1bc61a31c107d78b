package dev.llmfault.server.fuzz;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.Provider;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.Envelopes;
import dev.llmfault.server.testing.Gen;
import dev.llmfault.server.testing.Http;
import dev.llmfault.server.testing.Tries;
import dev.llmfault.server.testing.SharedServer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static dev.llmfault.server.testing.Gen.weight;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random bodies, headers, methods and paths sent to every provider endpoint: with no scenario active the
 * server answers a success or a well-formed error of the provider whose API was called, and never a 5xx.
 */
class ProviderInputPropertiesTest {
    /** Header names the JDK client refuses to set; the raw-socket tests cover them. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");
    private static final List<String> BODY_FIELDS = List.of("model", "messages", "max_tokens", "stream");
    private static final String[] JSON_KEYS = {"model", "messages", "role", "content", "stream", "max_tokens", "text"};

    @RegisterExtension
    static final SharedServer server = new SharedServer(b -> b.maxBodyBytes(64 * 1024));

    /** One request to send. */
    record Request(Provider provider, String method, String path, Map<String, String> headers, String body) {
        @Override
        public String toString() {
            return method + " " + path + " " + headers + " body=" + (body == null ? "none"
                    : body.length() > 300 ? body.substring(0, 300) + "..." : body);
        }
    }

    @TestFactory
    Stream<DynamicTest> randomRequestsToProviderEndpointsGetAWellFormedAnswer() {
        return Tries.of(ProviderInputPropertiesTest::endpointRequest, r -> {
            server.get().journal().clear();

            Answer a = send(r);

            assertWellFormed(r, a, r.provider());
        });
    }

    @TestFactory
    Stream<DynamicTest> randomPathsGetAWellFormedError() {
        return Tries.of(ProviderInputPropertiesTest::randomPathRequest, r -> {
            server.get().journal().clear();

            Answer a = send(r);

            JournalEntry e = server.get().journal().awaitRequests(1, Duration.ofSeconds(5)).get(0);
            assertThat(e.provider()).as("the journal says which provider answered").isNotNull();
            assertWellFormed(r, a, e.provider());
        });
    }

    static Answer send(Request r) {
        return Http.send(r.method(), URI.create(server.get().url() + r.path()), r.headers(), r.body());
    }

    static void assertWellFormed(Request r, Answer a, Provider p) {
        assertThat(a.status()).as("never an uninjected 5xx: %s -> %s", r, a.body()).isLessThan(500);
        assertThat(a.header(Envelopes.requestIdHeader(p))).as("request id of %s -> %d %s %s", r, a.status(),
                a.headers().map(), a.body()).isNotBlank();
        if (r.method().equals("HEAD")) {
            return; // no body to read
        }
        if (a.status() == 200) {
            String type = a.header("content-type");
            if (type.startsWith("text/event-stream")) {
                assertThat(a.frames()).as("frames of %s", r).isNotEmpty();
            } else {
                assertThat(a.json().isObject()).as("success of %s", r).isTrue();
            }
            return;
        }
        assertThat(a.status()).as("an error status for %s", r).isIn(400, 401, 403, 404, 405, 413);
        Envelopes.read(p, a);
        JournalEntry e = server.get().journal().awaitRequests(1, Duration.ofSeconds(5)).get(0);
        assertThat(e.fault()).as("journaled as a fault: %s", r).isNotNull();
        assertThat(e.faultReason()).startsWith("validation:");
        assertThat(e.status()).isEqualTo(a.status());
    }

    // ---- generators ----

    static Request endpointRequest(Gen gen) {
        Provider p = gen.oneOf(Provider.values());
        return request(gen, p, Calls.chatPath(p));
    }

    static Request randomPathRequest(Gen gen) {
        Provider p = gen.oneOf(Provider.values());
        return request(gen, p, path(gen));
    }

    static Request request(Gen gen, Provider p, String path) {
        String method = method(gen);
        Map<String, String> headers = headers(gen, p);
        String body = body(gen, p);
        return new Request(p, method, path, headers, method.equals("GET") || method.equals("HEAD") ? null : body);
    }

    static String method(Gen gen) {
        return gen.weighted(
                weight(8, () -> "POST"),
                weight(3, () -> gen.oneOf("GET", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD")),
                weight(1, () -> {
                    String m;
                    do {
                        m = gen.string("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 1, 10);
                    } while (m.equals("CONNECT")); // a proxy method: refused by Jetty and the JDK client alike
                    return m;
                }));
    }

    static String path(Gen gen) {
        String prefix = gen.oneOf("/", "/v1/", "/v1/chat/", "/v2/", "/api/paas/v4/", "/api/", "/v1/models/",
                "/v1/messages/", "/v3/", "/openai/deployments/x/");
        String first = segment(gen);
        String second = segment(gen);
        String query = gen.string("abc=&123+", 0, 12);
        return prefix + first + (second.isEmpty() ? "" : "/" + second) + (query.isEmpty() ? "" : "?" + query);
    }

    /** '.' and '..' are left out: clients normalise them away, and Jetty refuses the ones that climb above '/'. */
    static String segment(Gen gen) {
        String s;
        do {
            s = gen.string("abcXYZ019-_.~", 0, 12);
        } while (s.equals(".") || s.equals(".."));
        return s;
    }

    /** The provider's valid headers, each kept, garbled or dropped, plus up to four random extra headers. */
    static Map<String, String> headers(Gen gen, Provider p) {
        Map<String, String> all = new LinkedHashMap<>();
        for (int i = gen.between(0, 4); i > 0; i--) {
            String value = headerValue(gen);
            if (!value.isEmpty()) {
                all.put(headerName(gen), value);
            }
        }
        Map<String, String> kept = new LinkedHashMap<>();
        Calls.headers(p).forEach((name, valid) -> {
            int dice = gen.between(0, 9);
            String garbled = headerValue(gen);
            if (dice < 6) {
                kept.put(name, valid);
            } else if (dice < 9 && !garbled.isEmpty()) {
                kept.put(name, garbled);
            } // else dropped
        });
        kept.keySet().forEach(name -> all.keySet().removeIf(x -> x.equalsIgnoreCase(name)));
        all.putAll(kept);
        return all;
    }

    static String headerName(Gen gen) {
        String n;
        do {
            n = gen.string("abcdefghijklmnopqrstuvwxyz-0123456789", 1, 20);
        } while (RESTRICTED.contains(n.toLowerCase(Locale.ROOT)) || n.startsWith("-"));
        return n;
    }

    static String headerValue(Gen gen) {
        return gen.printable(40).strip();
    }

    /** A valid body, a broken one, random JSON, random text or very deep nesting. */
    static String body(Gen gen, Provider p) {
        String valid = Calls.body(p, false).toString();
        return gen.weighted(
                weight(3, () -> gen.oneIn(2) ? valid : Calls.body(p, true).toString()),
                weight(2, () -> valid.substring(0, gen.between(0, valid.length() - 1))),
                weight(2, () -> Calls.body(p, true).without(gen.oneOf(BODY_FIELDS)).toString()),
                weight(3, () -> {
                    ObjectNode b = Calls.body(p, false);
                    b.set(gen.oneOf(BODY_FIELDS), gen.json(2, JSON_KEYS));
                    return b.toString();
                }),
                weight(2, () -> gen.json(4, JSON_KEYS).toString()),
                weight(2, () -> gen.anyString(200)),
                weight(1, () -> {
                    int depth = gen.between(1, 3000);
                    return "[".repeat(depth) + "]".repeat(depth);
                }));
    }
}
