package dev.llmfault.server.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.Provider;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.Envelopes;
import dev.llmfault.server.testing.Http;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.lifecycle.BeforeTry;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random bodies, headers, methods and paths sent to every provider endpoint: with no scenario active the
 * server answers a success or a well-formed error of the provider whose API was called, and never a 5xx.
 */
class ProviderInputPropertiesTest {
    /** Header names the JDK client refuses to set; the raw-socket tests cover them. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

    static FakeLlmServer server;

    @BeforeContainer
    static void start() {
        server = FakeLlmServer.builder().maxBodyBytes(64 * 1024).start();
    }

    @AfterContainer
    static void stop() {
        server.close();
    }

    @BeforeTry
    void clearJournal() {
        server.journal().clear();
    }

    /** One request to send. */
    record Request(Provider provider, String method, String path, Map<String, String> headers, String body) {
        @Override
        public String toString() {
            return method + " " + path + " " + headers + " body=" + (body == null ? "none"
                    : body.length() > 300 ? body.substring(0, 300) + "..." : body);
        }
    }

    @Property
    void randomRequestsToProviderEndpointsGetAWellFormedAnswer(@ForAll("endpointRequests") Request r) {
        Answer a = send(r);

        assertWellFormed(r, a, r.provider());
    }

    @Property
    void randomPathsGetAWellFormedError(@ForAll("randomPathRequests") Request r) {
        Answer a = send(r);

        JournalEntry e = server.journal().awaitRequests(1, Duration.ofSeconds(5)).get(0);
        assertThat(e.provider()).as("the journal says which provider answered").isNotNull();
        assertWellFormed(r, a, e.provider());
    }

    static Answer send(Request r) {
        return Http.send(r.method(), URI.create(server.url() + r.path()), r.headers(), r.body());
    }

    static void assertWellFormed(Request r, Answer a, Provider p) {
        net.jqwik.api.statistics.Statistics.label("status").collect(a.status());
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
        JournalEntry e = server.journal().awaitRequests(1, Duration.ofSeconds(5)).get(0);
        assertThat(e.fault()).as("journaled as a fault: %s", r).isNotNull();
        assertThat(e.faultReason()).startsWith("validation:");
        assertThat(e.status()).isEqualTo(a.status());
    }

    // ---- generators ----

    @Provide
    Arbitrary<Request> endpointRequests() {
        Arbitrary<Provider> provider = Arbitraries.of(Provider.class);
        return provider.flatMap(p -> Combinators.combine(methods(), headers(p), bodies(p))
                .as((method, headers, body) -> new Request(p, method, Calls.chatPath(p), headers,
                        method.equals("GET") || method.equals("HEAD") ? null : body)));
    }

    @Provide
    Arbitrary<Request> randomPathRequests() {
        return Arbitraries.of(Provider.class).flatMap(p -> Combinators.combine(methods(), paths(), headers(p), bodies(p))
                .as((method, path, headers, body) -> new Request(p, method, path, headers,
                        method.equals("GET") || method.equals("HEAD") ? null : body)));
    }

    static Arbitrary<String> methods() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.just("POST")),
                net.jqwik.api.Tuple.of(3, Arbitraries.of("GET", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD")),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().withCharRange('A', 'Z').ofMinLength(1).ofMaxLength(10)
                        .filter(m -> !m.equals("CONNECT")))); // a proxy method: refused by Jetty and the JDK client alike
    }

    static Arbitrary<String> paths() {
        Arbitrary<String> prefix = Arbitraries.of("/", "/v1/", "/v1/chat/", "/v2/", "/api/paas/v4/", "/api/", "/v1/models/",
                "/v1/messages/", "/v3/", "/openai/deployments/x/");
        // '.' and '..' segments are left out: clients normalise them away, and Jetty refuses the ones that climb above '/'
        Arbitrary<String> segment = Arbitraries.strings().withChars("abcXYZ019-_.~").ofMaxLength(12)
                .filter(x -> !x.equals(".") && !x.equals(".."));
        Arbitrary<String> query = Arbitraries.strings().withChars("abc=&123+").ofMaxLength(12)
                .map(q -> q.isEmpty() ? "" : "?" + q);
        return Combinators.combine(prefix, segment, segment, query)
                .as((a, b, c, q) -> a + b + (c.isEmpty() ? "" : "/" + c) + q);
    }

    /** The provider's valid headers, each possibly dropped or garbled, plus random extra headers. */
    static Arbitrary<Map<String, String>> headers(Provider p) {
        Map<String, String> valid = Calls.headers(p);
        Arbitrary<String> value = Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(40).map(String::strip);
        Arbitrary<Map<String, String>> kept = Combinators.combine(
                        Arbitraries.integers().between(0, 9).list().ofSize(valid.size()),
                        value.list().ofSize(valid.size()))
                .as((dice, values) -> {
                    Map<String, String> out = new LinkedHashMap<>();
                    int i = 0;
                    for (Map.Entry<String, String> h : valid.entrySet()) {
                        int d = dice.get(i);
                        String v = values.get(i++);
                        if (d < 6) {
                            out.put(h.getKey(), h.getValue());             // kept
                        } else if (d < 9 && !v.isEmpty()) {
                            out.put(h.getKey(), v);                        // garbled
                        }                                                  // else dropped
                    }
                    return out;
                });
        Arbitrary<String> name = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz-0123456789")
                .ofMinLength(1).ofMaxLength(20)
                .filter(n -> !RESTRICTED.contains(n.toLowerCase(Locale.ROOT)) && !n.startsWith("-"));
        Arbitrary<Map<String, String>> extra = Arbitraries.maps(name, value.filter(v -> !v.isEmpty())).ofMaxSize(4);
        return Combinators.combine(kept, extra).as((k, e) -> {
            Map<String, String> all = new LinkedHashMap<>(e);
            k.forEach((n, v) -> all.keySet().removeIf(x -> x.equalsIgnoreCase(n)));
            all.putAll(k);
            return all;
        });
    }

    /** A valid body, a broken one, random JSON, or random text. */
    static Arbitrary<String> bodies(Provider p) {
        String valid = Calls.body(p, false).toString();
        Arbitrary<String> validOrStream = Arbitraries.of(valid, Calls.body(p, true).toString());
        Arbitrary<String> truncated = Arbitraries.integers().between(0, valid.length() - 1).map(n -> valid.substring(0, n));
        Arbitrary<String> fieldDropped = Arbitraries.of("model", "messages", "max_tokens", "stream")
                .map(f -> ((com.fasterxml.jackson.databind.node.ObjectNode) Calls.body(p, true)).without(f).toString());
        Arbitrary<String> fieldChanged = Combinators.combine(Arbitraries.of("model", "messages", "max_tokens", "stream"),
                jsonValues(2)).as((f, v) -> {
                    com.fasterxml.jackson.databind.node.ObjectNode b = Calls.body(p, false);
                    b.set(f, v);
                    return b.toString();
                });
        Arbitrary<String> randomJson = jsonValues(4).map(JsonNode::toString);
        Arbitrary<String> text = Arbitraries.strings().ofMaxLength(200);
        Arbitrary<String> deep = Arbitraries.integers().between(1, 3000).map(n -> "[".repeat(n) + "]".repeat(n));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, validOrStream),
                net.jqwik.api.Tuple.of(2, truncated),
                net.jqwik.api.Tuple.of(2, fieldDropped),
                net.jqwik.api.Tuple.of(3, fieldChanged),
                net.jqwik.api.Tuple.of(2, randomJson),
                net.jqwik.api.Tuple.of(2, text),
                net.jqwik.api.Tuple.of(1, deep));
    }

    /** Random JSON values up to a depth. */
    static Arbitrary<JsonNode> jsonValues(int depth) {
        var f = Answer.JSON.getNodeFactory();
        List<Arbitrary<JsonNode>> leaves = List.of(
                Arbitraries.just(f.nullNode()),
                Arbitraries.of(true, false).map(f::booleanNode),
                Arbitraries.integers().map(f::numberNode),
                Arbitraries.longs().map(f::numberNode),
                Arbitraries.doubles().map(f::numberNode),
                Arbitraries.strings().ofMaxLength(30).map(f::textNode));
        Arbitrary<JsonNode> leaf = Arbitraries.oneOf(leaves);
        if (depth <= 0) {
            return leaf;
        }
        Arbitrary<JsonNode> array = Arbitraries.lazy(() -> jsonValues(depth - 1)).list().ofMaxSize(4).map(items -> {
            var a = f.arrayNode();
            items.forEach(a::add);
            return a;
        });
        Arbitrary<JsonNode> object = Arbitraries.maps(
                        Arbitraries.oneOf(Arbitraries.of("model", "messages", "role", "content", "stream", "max_tokens", "text"),
                                Arbitraries.strings().ofMaxLength(8)),
                        Arbitraries.lazy(() -> jsonValues(depth - 1)))
                .ofMaxSize(4).map(fields -> {
                    var o = f.objectNode();
                    fields.forEach(o::set);
                    return o;
                });
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, leaf), net.jqwik.api.Tuple.of(1, array), net.jqwik.api.Tuple.of(1, object));
    }
}
