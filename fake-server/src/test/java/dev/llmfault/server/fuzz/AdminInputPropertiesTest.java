package dev.llmfault.server.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Fault;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Scenario;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Calls;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random scenario input to the admin API, each field valid or not by construction: the server accepts it
 * exactly when every field is valid, and otherwise answers 400 naming one of the invalid fields (with the
 * allowed values) and leaves the state exactly as it was.
 */
class AdminInputPropertiesTest {
    static FakeLlmServer server;

    @BeforeContainer
    static void start() {
        server = FakeLlmServer.start();
    }

    @AfterContainer
    static void stop() {
        server.close();
    }

    /** Some state to keep: a scenario that has counted a request, and a journal. */
    @BeforeTry
    void someState() {
        server.reset();
        server.scenarios().add(Scenario.builder(Fault.SERVER_ERROR).id("existing").provider(Provider.COHERE).after(5).build());
        Calls.chat(server, Provider.COHERE, false);
        server.journal().awaitRequests(1, Duration.ofSeconds(5));
    }

    /**
     * One field of a scenario as JSON text, and whether that value is valid.
     *
     * @param path the field as the server names it ({@code times}, {@code match.model})
     */
    record Field(String path, String json, boolean valid) {
        String name() {
            return path.contains(".") ? path.substring(path.indexOf('.') + 1) : path;
        }

        boolean inMatch() {
            return path.startsWith("match.");
        }
    }

    /** A scenario made of fields; the window fields are checked together (until after from). */
    record Input(List<Field> fields) {
        boolean valid() {
            return invalidPaths().isEmpty();
        }

        Set<String> invalidPaths() {
            Set<String> out = fields.stream().filter(f -> !f.valid()).map(Field::path).collect(Collectors.toSet());
            Long from = number("fromMs");
            Long until = number("untilMs");
            if (from != null && until != null && from >= 0 && until >= 0 && until <= from) {
                out.add("untilMs");
            }
            if (fields.stream().noneMatch(f -> f.path().equals("fault"))) {
                out.add("fault");
            }
            return out;
        }

        private Long number(String path) {
            return fields.stream().filter(f -> f.path().equals(path) && f.valid()).findFirst()
                    .map(f -> Long.parseLong(f.json())).orElse(null);
        }

        String json() {
            String top = fields.stream().filter(f -> !f.inMatch())
                    .map(f -> "\"" + f.name() + "\":" + f.json()).collect(Collectors.joining(","));
            List<Field> match = fields.stream().filter(Field::inMatch).toList();
            if (!match.isEmpty()) {
                String m = match.stream().map(f -> "\"" + f.name() + "\":" + f.json()).collect(Collectors.joining(","));
                top = top + (top.isEmpty() ? "" : ",") + "\"match\":{" + m + "}";
            }
            return "{" + top + "}";
        }

        @Override
        public String toString() {
            return json() + " invalid=" + invalidPaths();
        }
    }

    static URI admin(String path) {
        return server.url().resolve("/__admin" + path);
    }

    static String state() {
        return Http.get(admin("/scenarios")).body() + "\n" + Http.get(admin("/requests")).body()
                + "\n" + Http.get(admin("/health")).json().path("scenarios");
    }

    @Property
    void aScenarioIsAppliedExactlyWhenEveryFieldIsValid(@ForAll("scenarios") Input input) {
        String before = state();

        Answer a = Http.postJson(admin("/scenarios"), input.json());

        if (input.valid()) {
            assertThat(a.status()).as("%s -> %s", input, a.body()).isEqualTo(201);
            String id = a.json().path("id").asText();
            JsonNode stored = Http.get(admin("/scenarios/" + id)).json();
            for (Field f : input.fields()) {
                if (!f.inMatch() && Set.of("times", "after", "every", "retryAfterMs", "status").contains(f.path())) {
                    assertThat(stored.path(f.path()).asLong()).as("%s stored", f.path()).isEqualTo(Long.parseLong(f.json()));
                }
            }
            assertThat(server.scenarios().list()).hasSize(2);
        } else {
            assertThat(a.status()).as("%s -> %s", input, a.body()).isEqualTo(400);
            JsonNode error = a.json().path("error");
            String field = error.path("field").asText(null);
            assertThat(input.invalidPaths()).as("the field named by %s for %s", a.body(), input)
                    .anySatisfy(p -> assertThat(field).satisfiesAnyOf(
                            f -> assertThat(f).isEqualTo(p),
                            f -> assertThat(f).startsWith(p + "."))); // headers.x-a inside headers
            assertThat(error.path("message").asText()).startsWith(field + ":")
                    .containsAnyOf("expected", "allowed", "required");
            assertThat(state()).as("state after refusing %s", input).isEqualTo(before);
        }
    }

    @Property
    void unparsableAdminBodiesAreRefusedAndChangeNothing(@ForAll("garbage") String body) {
        String before = state();

        Answer a = Http.postJson(admin("/scenarios"), body);

        assertThat(a.status()).as("%s -> %s", body, a.body()).isEqualTo(400);
        assertThat(a.json().path("error").path("message").asText()).isNotBlank();
        assertThat(state()).isEqualTo(before);
    }

    // ---- generators: each field valid or invalid by construction ----

    /** The valid values of a field (null when it has none) and its invalid ones. */
    record Choices(Arbitrary<Field> valid, Arbitrary<Field> invalid) {
    }

    static Choices field(String path, Arbitrary<String> valid, Arbitrary<String> invalid) {
        return new Choices(valid.map(v -> new Field(path, v, true)), invalid.map(v -> new Field(path, v, false)));
    }

    static Choices onlyInvalid(String path, Arbitrary<String> invalid) {
        return new Choices(null, invalid.map(v -> new Field(path, v, false)));
    }

    static Arbitrary<String> quoted(Arbitrary<String> s) {
        return s.map(v -> "\"" + v + "\"");
    }

    static Arbitrary<String> ints(int min, int max) {
        return Arbitraries.integers().between(min, max).map(String::valueOf);
    }

    @Provide
    Arbitrary<Input> scenarios() {
        Arbitrary<String> faultNames = Arbitraries.of(Fault.class).map(Enum::name)
                .flatMap(n -> Arbitraries.of(n, n.toLowerCase(java.util.Locale.ROOT)));
        List<Choices> all = List.of(
                field("fault", quoted(faultNames), Arbitraries.of("\"RATE_LIMIT\"", "\"\"", "7", "true", "[]")),
                field("provider", Arbitraries.of("\"OPENAI\"", "\"anthropic\"", "\"Cohere\"", "\"ZHIPU\"", "null"),
                        Arbitraries.of("\"GEMINI\"", "3", "{}")),
                field("times", ints(0, 1000), Arbitraries.of("-1", "\"2\"", "1.5", "4294967296", "[]")),
                field("after", ints(0, 1000), Arbitraries.of("-1", "\"x\"", "2.5")),
                field("every", ints(1, 100), Arbitraries.of("0", "-3", "\"2\"")),
                field("probability", Arbitraries.of("0", "1", "0.0", "0.25", "1.0", "0.999"),
                        Arbitraries.of("1.01", "-0.5", "\"0.5\"", "2")),
                field("seed", Arbitraries.longs().map(String::valueOf), Arbitraries.of("\"s\"", "1.5", "123456789012345678901234")),
                field("fromMs", ints(0, 100_000), Arbitraries.of("-1", "\"1\"")),
                field("untilMs", ints(0, 100_000), Arbitraries.of("-7", "false")),
                field("retryAfterMs", ints(0, 60_000), Arbitraries.of("-5", "\"1s\"")),
                field("shouldRetry", Arbitraries.of("true", "false"), Arbitraries.of("\"yes\"", "1")),
                field("delayMs", ints(0, 5_000), Arbitraries.of("-1", "[1]")),
                field("afterChunks", ints(0, 50), Arbitraries.of("-2", "\"x\"")),
                field("status", ints(100, 599), Arbitraries.of("99", "600", "\"429\"")),
                field("headers", Arbitraries.of("{}", "{\"x-a\":\"1\"}", "{\"Retry-After\":\"3\",\"x-b\":2}"),
                        Arbitraries.of("[]", "{\"bad name\":\"1\"}", "{\"x\":{}}", "\"h\"")),
                field("body", Arbitraries.of("\"{}\"", "\"{\\\"error\\\":\\\"{fault}\\\"}\"", "null"), Arbitraries.of("{}", "3")),
                field("id", quoted(Arbitraries.strings().withChars("abcXYZ0189._-").ofMinLength(1).ofMaxLength(20))
                                .filter(s -> !s.equals("\"existing\"")),
                        Arbitraries.of("\"a b\"", "\"\"", "\"existing\"", "5")),
                onlyInvalid("unknownField", Arbitraries.of("1", "\"x\"")),
                field("match.path", Arbitraries.of("\"/v1/chat/completions\"", "\"/v2/chat\""), Arbitraries.of("\"v1\"", "5")),
                field("match.model", Arbitraries.of("\"gpt-4o\"", "\"claude-sonnet-4-5\""), Arbitraries.of("5", "[\"a\"]")),
                field("match.apiKey", Arbitraries.of("\"sk-some-key-0123456789\""), Arbitraries.of("[]", "false")),
                field("match.headers", Arbitraries.of("{\"x-tenant\":\"a\"}"), Arbitraries.of("{\"x\":[]}", "\"x\"")),
                onlyInvalid("match.modle", Arbitraries.of("\"x\"")));
        // each field present with probability ~1/3 (fault more often), invalid ones rarer than valid ones
        List<Arbitrary<Field>> maybe = new ArrayList<>();
        for (Choices c : all) {
            maybe.add(c.valid() == null
                    ? Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(30, Arbitraries.just((Field) null)),
                            net.jqwik.api.Tuple.of(1, c.invalid()))
                    : Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(10, Arbitraries.just((Field) null)),
                            net.jqwik.api.Tuple.of(4, c.valid()), net.jqwik.api.Tuple.of(1, c.invalid())));
        }
        Arbitrary<Field> fault = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(12, all.get(0).valid()),
                net.jqwik.api.Tuple.of(1, all.get(0).invalid()),
                net.jqwik.api.Tuple.of(1, Arbitraries.just((Field) null)));
        maybe.set(0, fault);
        return Combinators.combine(maybe).as(fields -> new Input(fields.stream().filter(Objects::nonNull).toList()));
    }

    @Provide
    Arbitrary<String> garbage() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(50),
                Arbitraries.of("", " ", "null", "[1]", "{", "}", "{\"fault\":}", "\"RATE_LIMITED\"", "[null]",
                        "{\"fault\":\"RATE_LIMITED\"} trailing"));
    }
}
