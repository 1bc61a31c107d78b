package dev.llmfault.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.Fault;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Scenario;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.Http;
import dev.llmfault.server.testing.SharedServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.Arguments;

import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad admin input gets a 400 whose message names the field, the value and what is allowed, and leaves
 * the server exactly as it was (scenarios, their counters and the journal compared before and after).
 */
class AdminBadInputTest {
    @RegisterExtension
    static final SharedServer server = new SharedServer();

    /** Some state to keep: a scenario that has counted requests, and a journal. */
    @BeforeEach
    void someState() {
        server.get().scenarios().add(Scenario.builder(Fault.SERVER_ERROR).id("existing").provider(Provider.COHERE).after(1).build());
        Calls.chat(server.get(), Provider.COHERE, false);
        Calls.chat(server.get(), Provider.OPENAI, false);
        server.get().journal().awaitRequests(2, Duration.ofSeconds(5));
    }

    /** Everything an admin client can see of the state. */
    static String state() {
        JsonNode health = Http.get(server.admin("/health")).json();
        return Http.get(server.admin("/scenarios")).body() + "\n" + Http.get(server.admin("/requests")).body()
                + "\nscenarios=" + health.path("scenarios") + " requests=" + health.path("requests");
    }

    static Stream<Arguments> badScenarios() {
        return Stream.of(
                bad("invalid JSON", "{\"fault\": \"RATE_LIMITED\",", null, "not valid JSON"),
                bad("empty body", "", null, "empty"),
                bad("not an object", "42", null, "JSON object"),
                bad("missing fault", "{\"times\":1}", "fault", "required", "RATE_LIMITED", "STREAM_ERROR"),
                bad("unknown fault", "{\"fault\":\"RATE_LIMIT\"}", "fault", "RATE_LIMIT'", "allowed", "RATE_LIMITED", "INVALID_TOKEN"),
                bad("fault of the wrong type", "{\"fault\":7}", "fault", "7", "a string"),
                bad("unknown provider", "{\"fault\":\"RATE_LIMITED\",\"provider\":\"MISTRAL_AI\"}", "provider", "MISTRAL_AI", "OPENAI", "ZHIPU"),
                bad("negative times", "{\"fault\":\"RATE_LIMITED\",\"times\":-1}", "times", "-1", ">= 1"),
                bad("times 0 (never, or no limit?)", "{\"fault\":\"RATE_LIMITED\",\"times\":0}", "times", "0", ">= 1",
                        "for no limit leave times out", "UNLIMITED"),
                bad("times as text", "{\"fault\":\"RATE_LIMITED\",\"times\":\"2\"}", "times", "\"2\"", "an integer"),
                bad("times as a fraction", "{\"fault\":\"RATE_LIMITED\",\"times\":1.5}", "times", "1.5", "an integer"),
                bad("times beyond 32 bits", "{\"fault\":\"RATE_LIMITED\",\"times\":4294967296}", "times", "4294967296", "32 bits"),
                bad("negative after", "{\"fault\":\"RATE_LIMITED\",\"after\":-3}", "after", "-3", ">= 0"),
                bad("every zero", "{\"fault\":\"RATE_LIMITED\",\"every\":0}", "every", "0", ">= 1"),
                bad("probability above 1", "{\"fault\":\"RATE_LIMITED\",\"probability\":1.5}", "probability", "1.5", "0.0 to 1.0"),
                bad("probability below 0", "{\"fault\":\"RATE_LIMITED\",\"probability\":-0.1}", "probability", "-0.1", "0.0 to 1.0"),
                bad("probability as text", "{\"fault\":\"RATE_LIMITED\",\"probability\":\"half\"}", "probability", "half", "a number"),
                bad("seed as text", "{\"fault\":\"RATE_LIMITED\",\"seed\":\"x\"}", "seed", "an integer"),
                bad("negative retryAfterMs", "{\"fault\":\"RATE_LIMITED\",\"retryAfterMs\":-5}", "retryAfterMs", "-5", ">= 0"),
                bad("negative delayMs", "{\"fault\":\"SLOW_RESPONSE\",\"delayMs\":-5}", "delayMs", "-5", ">= 0"),
                bad("negative fromMs", "{\"fault\":\"RATE_LIMITED\",\"fromMs\":-5}", "fromMs", "-5", ">= 0"),
                bad("until before from", "{\"fault\":\"RATE_LIMITED\",\"fromMs\":500,\"untilMs\":100}", "untilMs", "100", "fromMs"),
                bad("negative afterChunks", "{\"fault\":\"STREAM_ERROR\",\"afterChunks\":-1}", "afterChunks", "-1", ">= 0"),
                bad("status out of range", "{\"fault\":\"RATE_LIMITED\",\"status\":99}", "status", "99", "100 to 599"),
                bad("shouldRetry as text", "{\"fault\":\"RATE_LIMITED\",\"shouldRetry\":\"yes\"}", "shouldRetry", "true or false"),
                bad("headers as a list", "{\"fault\":\"RATE_LIMITED\",\"headers\":[1]}", "headers", "an object"),
                bad("header name with a space", "{\"fault\":\"RATE_LIMITED\",\"headers\":{\"x bad\":\"1\"}}", "headers", "x bad", "header name"),
                bad("header value with a line break", "{\"fault\":\"RATE_LIMITED\",\"headers\":{\"x-ok\":\"a\\r\\nb\"}}", "headers.x-ok", "line breaks"),
                bad("body as an object", "{\"fault\":\"RATE_LIMITED\",\"body\":{}}", "body", "a string"),
                bad("unknown field", "{\"fault\":\"RATE_LIMITED\",\"tmes\":2}", "tmes", "unknown field", "allowed", "times"),
                bad("invalid id", "{\"fault\":\"RATE_LIMITED\",\"id\":\"a b\"}", "id", "a b", "A-Z"),
                bad("id taken", "{\"fault\":\"RATE_LIMITED\",\"id\":\"existing\"}", "id", "existing"),
                bad("match not an object", "{\"fault\":\"RATE_LIMITED\",\"match\":\"all\"}", "match", "an object"),
                bad("unknown match field", "{\"fault\":\"RATE_LIMITED\",\"match\":{\"modle\":\"x\"}}", "match.modle", "unknown field", "model"),
                bad("match.model of the wrong type", "{\"fault\":\"RATE_LIMITED\",\"match\":{\"model\":5}}", "match.model", "5", "a string"),
                bad("match.path without a slash", "{\"fault\":\"RATE_LIMITED\",\"match\":{\"path\":\"v1\"}}", "match.path", "v1", "'/'"),
                bad("match.apiKeyFingerprint not hex", "{\"fault\":\"RATE_LIMITED\",\"match\":{\"apiKeyFingerprint\":\"abc\"}}",
                        "match.apiKeyFingerprint", "SHA-256"),
                bad("match.headers value a list", "{\"fault\":\"RATE_LIMITED\",\"match\":{\"headers\":{\"x\":[]}}}", "match.headers.x", "a string"),
                bad("second of two invalid", "[{\"fault\":\"RATE_LIMITED\"},{\"fault\":\"RATE_LIMITED\",\"times\":-1}]", "[1].times", ">= 1"),
                bad("second of two takes the first's id", "[{\"fault\":\"RATE_LIMITED\",\"id\":\"x1\"},{\"fault\":\"RATE_LIMITED\",\"id\":\"x1\"}]",
                        "id", "x1"),
                bad("an array of a non-object", "[{\"fault\":\"RATE_LIMITED\"}, 3]", "[1]", "JSON object"));
    }

    static Arguments bad(String name, String body, String field, String... messageParts) {
        return Arguments.of(name, body, field, messageParts);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badScenarios")
    void aBadScenarioIsRefusedNamingTheFieldAndChangesNothing(String name, String body, String field, String[] messageParts) {
        String probe = server.get().scenarios().add(Scenario.builder(Fault.RATE_LIMITED).build()).id();
        server.get().scenarios().remove(probe);
        String before = state();

        Answer a = Http.postJson(server.admin("/scenarios"), body);

        assertThat(a.status()).as(a.body()).isEqualTo(400);
        JsonNode error = a.json().path("error");
        assertThat(error.path("message").asText()).as("message").contains(messageParts);
        if (field != null) {
            assertThat(error.path("field").asText()).as("field in %s", a.body()).isEqualTo(field);
            assertThat(error.path("message").asText()).startsWith(field + ":");
        }
        assertThat(state()).as("state after a refused change").isEqualTo(before);
        // ids handed out after a refusal continue as if it never happened
        String next = Http.postJson(server.admin("/scenarios"), "{\"fault\":\"RATE_LIMITED\"}").json().path("id").asText();
        assertThat(next).isEqualTo("s-" + (Long.parseLong(probe.substring(2)) + 1));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "provider, MISTRAL_AI, OPENAI",
            "fault, NOPE, RATE_LIMITED",
            "status, abc, an integer from 0 to 599",
            "status, 600, an integer from 0 to 599",
            "limit, 0, an integer from 1",
            "limit, many, an integer from 1",
            "key, x, 'allowed: [alias, apiKey, apiKeyFingerprint, fault, limit, model, path, provider, replyId, scenarioId, status]'"})
    void aBadRequestFilterIsRefusedNamingTheFilter(String name, String value, String allowed) {
        String before = state();

        Answer a = Http.get(server.admin("/requests?" + name + "=" + value));

        assertThat(a.status()).isEqualTo(400);
        assertThat(a.json().path("error").path("field").asText()).isEqualTo(name);
        assertThat(a.json().path("error").path("message").asText()).startsWith(name + ":").contains(allowed);
        assertThat(state()).isEqualTo(before);
    }
}
