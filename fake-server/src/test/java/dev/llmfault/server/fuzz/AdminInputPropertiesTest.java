package dev.llmfault.server.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.Fault;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Scenario;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.Http;
import dev.llmfault.server.testing.Gen;
import dev.llmfault.server.testing.Tries;
import dev.llmfault.server.testing.SharedServer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.llmfault.server.testing.Gen.weight;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random scenario input to the admin API, each field valid or not by construction: the server accepts it
 * exactly when every field is valid, and otherwise answers 400 naming one of the invalid fields (with the
 * allowed values) and leaves the state exactly as it was.
 */
class AdminInputPropertiesTest {
    @RegisterExtension
    static final SharedServer server = new SharedServer();

    /** Some state to keep, made afresh before each try: a scenario that has counted a request, and a journal. */
    static void someState() {
        server.get().reset();
        server.get().scenarios().add(Scenario.builder(Fault.SERVER_ERROR).id("existing").provider(Provider.COHERE).after(5).build());
        Calls.chat(server.get(), Provider.COHERE, false);
        server.get().journal().awaitRequests(1, Duration.ofSeconds(5));
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

    static String state() {
        return Http.get(server.admin("/scenarios")).body() + "\n" + Http.get(server.admin("/requests")).body()
                + "\n" + Http.get(server.admin("/health")).json().path("scenarios");
    }

    @TestFactory
    Stream<DynamicTest> aScenarioIsAppliedExactlyWhenEveryFieldIsValid() {
        return Tries.of(AdminInputPropertiesTest::scenario, AdminInputPropertiesTest::appliedExactlyWhenValid);
    }

    static void appliedExactlyWhenValid(Input input) {
        someState();
        String before = state();

        Answer a = Http.postJson(server.admin("/scenarios"), input.json());

        if (input.valid()) {
            assertThat(a.status()).as("%s -> %s", input, a.body()).isEqualTo(201);
            String id = a.json().path("id").asText();
            JsonNode stored = Http.get(server.admin("/scenarios/" + id)).json();
            for (Field f : input.fields()) {
                if (!f.inMatch() && Set.of("times", "after", "every", "retryAfterMs", "status").contains(f.path())) {
                    assertThat(stored.path(f.path()).asLong()).as("%s stored", f.path()).isEqualTo(Long.parseLong(f.json()));
                }
            }
            assertThat(server.get().scenarios().list()).hasSize(2);
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

    @TestFactory
    Stream<DynamicTest> unparsableAdminBodiesAreRefusedAndChangeNothing() {
        return Tries.of(AdminInputPropertiesTest::garbage, body -> {
            someState();
            String before = state();

            Answer a = Http.postJson(server.admin("/scenarios"), body);

            assertThat(a.status()).as("%s -> %s", body, a.body()).isEqualTo(400);
            assertThat(a.json().path("error").path("message").asText()).isNotBlank();
            assertThat(state()).isEqualTo(before);
        });
    }

    // ---- generators: each field valid or invalid by construction ----

    /** How to make a valid value of a field (null when it has none) and an invalid one. */
    record Choices(String path, Function<Gen, String> valid, Function<Gen, String> invalid) {
        Field validField(Gen gen) {
            return new Field(path, valid.apply(gen), true);
        }

        Field invalidField(Gen gen) {
            return new Field(path, invalid.apply(gen), false);
        }
    }

    static Choices field(String path, Function<Gen, String> valid, String... invalid) {
        return new Choices(path, valid, gen -> gen.oneOf(invalid));
    }

    static Choices onlyInvalid(String path, String... invalid) {
        return new Choices(path, null, gen -> gen.oneOf(invalid));
    }

    static Function<Gen, String> oneOf(String... values) {
        return gen -> gen.oneOf(values);
    }

    static Function<Gen, String> ints(int min, int max) {
        return gen -> String.valueOf(gen.between(min, max));
    }

    static final Choices FAULT = field("fault", gen -> {
        String name = gen.oneOf(Fault.values()).name();
        return "\"" + (gen.oneIn(2) ? name : name.toLowerCase(Locale.ROOT)) + "\"";
    }, "\"RATE_LIMIT\"", "\"\"", "7", "true", "[]");

    static final List<Choices> OTHER_FIELDS = List.of(
            field("provider", oneOf("\"OPENAI\"", "\"anthropic\"", "\"Cohere\"", "\"ZHIPU\"", "null"), "\"MISTRAL_AI\"", "3", "{}"),
            field("times", ints(0, 1000), "-1", "\"2\"", "1.5", "4294967296", "[]"),
            field("after", ints(0, 1000), "-1", "\"x\"", "2.5"),
            field("every", ints(1, 100), "0", "-3", "\"2\""),
            field("probability", oneOf("0", "1", "0.0", "0.25", "1.0", "0.999"), "1.01", "-0.5", "\"0.5\"", "2"),
            field("seed", gen -> String.valueOf(gen.anyLong()), "\"s\"", "1.5", "123456789012345678901234"),
            field("fromMs", ints(0, 100_000), "-1", "\"1\""),
            field("untilMs", ints(0, 100_000), "-7", "false"),
            field("retryAfterMs", ints(0, 60_000), "-5", "\"1s\""),
            field("shouldRetry", oneOf("true", "false"), "\"yes\"", "1"),
            field("delayMs", ints(0, 5_000), "-1", "[1]"),
            field("afterChunks", ints(0, 50), "-2", "\"x\""),
            field("status", ints(100, 599), "99", "600", "\"429\""),
            field("headers", oneOf("{}", "{\"x-a\":\"1\"}", "{\"Retry-After\":\"3\",\"x-b\":2}"),
                    "[]", "{\"bad name\":\"1\"}", "{\"x\":{}}", "\"h\""),
            field("body", oneOf("\"{}\"", "\"{\\\"error\\\":\\\"{fault}\\\"}\"", "null"), "{}", "3"),
            // the alphabet cannot spell "existing", the id already taken
            field("id", gen -> "\"" + gen.string("abcXYZ0189._-", 1, 20) + "\"", "\"a b\"", "\"\"", "\"existing\"", "5"),
            onlyInvalid("unknownField", "1", "\"x\""),
            field("match.path", oneOf("\"/v1/chat/completions\"", "\"/v2/chat\""), "\"v1\"", "5"),
            field("match.model", oneOf("\"gpt-4o\"", "\"claude-sonnet-4-5\""), "5", "[\"a\"]"),
            field("match.apiKey", oneOf("\"sk-some-key-0123456789\""), "[]", "false"),
            field("match.headers", oneOf("{\"x-tenant\":\"a\"}"), "{\"x\":[]}", "\"x\""),
            onlyInvalid("match.modle", "\"x\""));

    /** The fault is there most of the time; each other field about one time in three, invalid rarer than valid. */
    static Input scenario(Gen gen) {
        List<Field> fields = new ArrayList<>();
        Field fault = gen.weighted(weight(12, () -> FAULT.validField(gen)), weight(1, () -> FAULT.invalidField(gen)),
                weight(1, () -> null));
        if (fault != null) {
            fields.add(fault);
        }
        for (Choices c : OTHER_FIELDS) {
            Field f = c.valid() == null
                    ? gen.weighted(weight(30, () -> null), weight(1, () -> c.invalidField(gen)))
                    : gen.weighted(weight(10, () -> null), weight(4, () -> c.validField(gen)), weight(1, () -> c.invalidField(gen)));
            if (f != null) {
                fields.add(f);
            }
        }
        return new Input(fields);
    }

    static String garbage(Gen gen) {
        return gen.oneIn(2) ? gen.anyString(50)
                : gen.oneOf("", " ", "null", "[1]", "{", "}", "{\"fault\":}", "\"RATE_LIMITED\"", "[null]",
                        "{\"fault\":\"RATE_LIMITED\"} trailing");
    }
}
