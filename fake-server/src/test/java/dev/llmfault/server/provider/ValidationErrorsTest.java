package dev.llmfault.server.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.catalogue.FaultCatalogue;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.Envelopes;
import dev.llmfault.server.testing.Envelopes.ProviderError;
import dev.llmfault.server.testing.Http;
import dev.llmfault.server.testing.ProviderFixture;
import dev.llmfault.server.testing.SharedServer;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static dev.llmfault.server.Provider.ANTHROPIC;
import static dev.llmfault.server.Provider.COHERE;
import static dev.llmfault.server.Provider.OPENAI;
import static dev.llmfault.server.Provider.ZHIPU;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every validation error of every provider, with that provider's status and envelope (providers.md),
 * journaled as the validation fault it is. Each case starts from a valid SDK-like call and breaks one thing.
 */
class ValidationErrorsTest {
    static final int MAX_BODY = 4096;
    @RegisterExtension
    static final SharedServer server = new SharedServer(b -> b.maxBodyBytes(MAX_BODY));

    /** One broken request: what to send, and the error the provider answers. */
    record Call(String method, String path, Map<String, String> headers, String body) {
        static Call valid(Provider p) {
            return new Call("POST", Calls.chatPath(p), Calls.headers(p), Calls.body(p, false).toString());
        }

        Call header(String name, String value) {
            return new Call(method, path, Calls.with(headers, name, value), body);
        }

        Call body(String newBody) {
            return new Call(method, path, headers, newBody);
        }

        Call withoutField(String field) {
            ObjectNode b = (ObjectNode) new Answer(0, null, body).json();
            b.remove(field);
            return body(b.toString());
        }

        Call method(String newMethod) {
            return new Call(newMethod, path, headers, newMethod.equals("GET") ? null : body);
        }

        Call path(String newPath) {
            return new Call(method, newPath, headers, body);
        }

        Answer send() {
            return Http.send(method, server.get().url().resolve(path), headers, body);
        }
    }

    /**
     * @param type     OpenAI/Anthropic error type, Zhipu string code, null for Cohere (no type)
     * @param code     OpenAI error.code, or null
     * @param message  a part of the message the provider sends
     */
    record Expected(Fault fault, int status, String type, String code, String message) {
    }

    static String credentialHeader(Provider p) {
        return p == ANTHROPIC ? "x-api-key" : "Authorization";
    }

    static String malformed(Provider p) {
        return p == ANTHROPIC ? "sk-ant key with spaces" : "Bearer sk-key with spaces";
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        add(out, "missing credential", c -> c.header(credentialHeader(c.p), null), Map.of(
                OPENAI, new Expected(Fault.MISSING_TOKEN, 401, "invalid_request_error", null, "You didn't provide an API key"),
                ANTHROPIC, new Expected(Fault.MISSING_TOKEN, 401, "authentication_error", null, "x-api-key header is required"),
                COHERE, new Expected(Fault.MISSING_TOKEN, 401, null, null, "no api key supplied"),
                ZHIPU, new Expected(Fault.MISSING_TOKEN, 401, "1001", null, "Authentication parameter not received")));
        add(out, "empty bearer", c -> c.header(credentialHeader(c.p), c.p == ANTHROPIC ? " " : "Bearer "), Map.of(
                OPENAI, new Expected(Fault.MISSING_TOKEN, 401, "invalid_request_error", null, "You didn't provide an API key"),
                ANTHROPIC, new Expected(Fault.MISSING_TOKEN, 401, "authentication_error", null, "x-api-key header is required"),
                COHERE, new Expected(Fault.MISSING_TOKEN, 401, null, null, "no api key supplied"),
                ZHIPU, new Expected(Fault.MISSING_TOKEN, 401, "1001", null, "Authentication parameter not received")));
        add(out, "malformed credential", c -> c.header(credentialHeader(c.p), malformed(c.p)), Map.of(
                OPENAI, new Expected(Fault.INVALID_TOKEN, 401, "invalid_request_error", "invalid_api_key", "Incorrect API key provided"),
                ANTHROPIC, new Expected(Fault.INVALID_TOKEN, 401, "authentication_error", null, "invalid x-api-key"),
                COHERE, new Expected(Fault.INVALID_TOKEN, 401, null, null, "invalid api token"),
                ZHIPU, new Expected(Fault.INVALID_TOKEN, 401, "1002", null, "Authorization Token illegal")));
        add(out, "invalid JSON", c -> c.body("{\"model\": \"m\", \"messages\": [}"), Map.of(
                OPENAI, new Expected(Fault.MALFORMED_BODY, 400, "invalid_request_error", null, "We could not parse the JSON body"),
                ANTHROPIC, new Expected(Fault.MALFORMED_BODY, 400, "invalid_request_error", null, "The request body is not valid JSON"),
                COHERE, new Expected(Fault.MALFORMED_BODY, 400, null, null, "invalid request: could not parse JSON body"),
                ZHIPU, new Expected(Fault.MALFORMED_BODY, 400, "1210", null, "Incorrect API call parameters")));
        add(out, "trailing garbage after the JSON", c -> c.body(c.call.body + " x"), Map.of(
                OPENAI, new Expected(Fault.MALFORMED_BODY, 400, "invalid_request_error", null, "We could not parse the JSON body"),
                ANTHROPIC, new Expected(Fault.MALFORMED_BODY, 400, "invalid_request_error", null, "The request body is not valid JSON"),
                COHERE, new Expected(Fault.MALFORMED_BODY, 400, null, null, "could not parse JSON body"),
                ZHIPU, new Expected(Fault.MALFORMED_BODY, 400, "1210", null, "Incorrect API call parameters")));
        add(out, "empty body", c -> c.body(""), Map.of(
                OPENAI, new Expected(Fault.MALFORMED_BODY, 400, "invalid_request_error", null, "We could not parse the JSON body"),
                ANTHROPIC, new Expected(Fault.MALFORMED_BODY, 400, "invalid_request_error", null, "The request body is not valid JSON"),
                COHERE, new Expected(Fault.MALFORMED_BODY, 400, null, null, "could not parse JSON body"),
                ZHIPU, new Expected(Fault.MALFORMED_BODY, 400, "1210", null, "Incorrect API call parameters")));
        add(out, "body is not an object", c -> c.body("[1, 2]"), Map.of(
                OPENAI, new Expected(Fault.MALFORMED_BODY, 400, "invalid_request_error", null, "body"),
                ANTHROPIC, new Expected(Fault.MALFORMED_BODY, 400, "invalid_request_error", null, "body"),
                COHERE, new Expected(Fault.MALFORMED_BODY, 400, null, null, "body"),
                ZHIPU, new Expected(Fault.MALFORMED_BODY, 400, "1214", null, "body")));
        add(out, "wrong content type", c -> c.header("Content-Type", "text/plain"), Map.of(
                OPENAI, new Expected(Fault.MALFORMED_BODY, 400, "invalid_request_error", null, "text/plain"),
                ANTHROPIC, new Expected(Fault.MALFORMED_BODY, 400, "invalid_request_error", null, "text/plain"),
                COHERE, new Expected(Fault.MALFORMED_BODY, 400, null, null, "text/plain"),
                ZHIPU, new Expected(Fault.MALFORMED_BODY, 400, "1210", null, "text/plain")));
        add(out, "wrong method", c -> c.method("GET"), Map.of(
                OPENAI, new Expected(Fault.WRONG_METHOD, 405, "invalid_request_error", null, "GET"),
                ANTHROPIC, new Expected(Fault.WRONG_METHOD, 405, "invalid_request_error", null, "GET"),
                COHERE, new Expected(Fault.WRONG_METHOD, 405, null, null, "GET"),
                ZHIPU, new Expected(Fault.WRONG_METHOD, 405, "1212", null, "GET")));
        add(out, "DELETE on a chat endpoint", c -> c.method("DELETE"), Map.of(
                OPENAI, new Expected(Fault.WRONG_METHOD, 405, "invalid_request_error", null, "DELETE"),
                ANTHROPIC, new Expected(Fault.WRONG_METHOD, 405, "invalid_request_error", null, "DELETE"),
                COHERE, new Expected(Fault.WRONG_METHOD, 405, null, null, "DELETE"),
                ZHIPU, new Expected(Fault.WRONG_METHOD, 405, "1212", null, "DELETE")));
        add(out, "unknown path", c -> c.path(c.call.path.substring(0, c.call.path.length() - 1)), Map.of(
                OPENAI, new Expected(Fault.OLD_API_VERSION, 404, "invalid_request_error", null, "Invalid URL (POST /v1/chat/completion)"),
                ANTHROPIC, new Expected(Fault.OLD_API_VERSION, 404, "not_found_error", null, "Not Found"),
                COHERE, new Expected(Fault.OLD_API_VERSION, 404, null, null, "/v2/cha"),
                ZHIPU, new Expected(Fault.OLD_API_VERSION, 404, "1222", null, "/api/paas/v4/chat/completion")));
        add(out, "missing model", c -> c.withoutField("model"), Map.of(
                OPENAI, new Expected(Fault.MISSING_FIELD, 400, "invalid_request_error", "missing_required_parameter", "Missing required parameter: 'model'."),
                ANTHROPIC, new Expected(Fault.MISSING_FIELD, 400, "invalid_request_error", null, "model: Field required"),
                COHERE, new Expected(Fault.MISSING_FIELD, 400, null, null, "model"),
                ZHIPU, new Expected(Fault.MISSING_FIELD, 400, "1213", null, "model")));
        add(out, "missing messages", c -> c.withoutField("messages"), Map.of(
                OPENAI, new Expected(Fault.MISSING_FIELD, 400, "invalid_request_error", "missing_required_parameter", "Missing required parameter: 'messages'."),
                ANTHROPIC, new Expected(Fault.MISSING_FIELD, 400, "invalid_request_error", null, "messages: Field required"),
                COHERE, new Expected(Fault.MISSING_FIELD, 400, null, null, "messages"),
                ZHIPU, new Expected(Fault.MISSING_FIELD, 400, "1213", null, "messages")));
        add(out, "model of the wrong type", c -> c.body(c.call.body.replace("\"model\":\"" + Calls.model(c.p) + "\"", "\"model\":42")), Map.of(
                OPENAI, new Expected(Fault.MALFORMED_BODY, 400, "invalid_request_error", null, "model"),
                ANTHROPIC, new Expected(Fault.MALFORMED_BODY, 400, "invalid_request_error", null, "model"),
                COHERE, new Expected(Fault.MALFORMED_BODY, 400, null, null, "model"),
                ZHIPU, new Expected(Fault.MALFORMED_BODY, 400, "1214", null, "model")));
        add(out, "stream of the wrong type", c -> c.body(c.call.body.replace("{", "{\"stream\":\"yes\",")), Map.of(
                OPENAI, new Expected(Fault.MALFORMED_BODY, 400, "invalid_request_error", null, "stream"),
                ANTHROPIC, new Expected(Fault.MALFORMED_BODY, 400, "invalid_request_error", null, "stream"),
                COHERE, new Expected(Fault.MALFORMED_BODY, 400, null, null, "stream"),
                ZHIPU, new Expected(Fault.MALFORMED_BODY, 400, "1214", null, "stream")));
        add(out, "body too large", c -> c.body("{\"model\":\"" + "x".repeat(MAX_BODY) + "\",\"messages\":[]}"), Map.of(
                OPENAI, new Expected(Fault.MALFORMED_BODY, 413, "invalid_request_error", null, "too large"),
                ANTHROPIC, new Expected(Fault.MALFORMED_BODY, 413, "request_too_large", null, "exceeds the maximum"),
                COHERE, new Expected(Fault.MALFORMED_BODY, 413, null, null, "too large"),
                ZHIPU, new Expected(Fault.MALFORMED_BODY, 413, "1261", null, "exceeds")));
        // Anthropic's own requirements
        out.add(Arguments.of("missing max_tokens", ANTHROPIC, Call.valid(ANTHROPIC).withoutField("max_tokens"),
                new Expected(Fault.MISSING_FIELD, 400, "invalid_request_error", null, "max_tokens: Field required")));
        out.add(Arguments.of("max_tokens 0", ANTHROPIC, Call.valid(ANTHROPIC).body(Call.valid(ANTHROPIC).body.replace("256", "0")),
                new Expected(Fault.MALFORMED_BODY, 400, "invalid_request_error", null, "max_tokens")));
        out.add(Arguments.of("missing anthropic-version", ANTHROPIC, Call.valid(ANTHROPIC).header("anthropic-version", null),
                new Expected(Fault.OLD_API_VERSION, 400, "invalid_request_error", null, "anthropic-version: header is required")));
        // An unknown version is a 400 as the live API answers it (quoted in directus-labs/extensions#285), with or
        // without the versions policy.
        out.add(Arguments.of("unknown anthropic-version", ANTHROPIC, Call.valid(ANTHROPIC).header("anthropic-version", "2023-10-01"),
                new Expected(Fault.OLD_API_VERSION, 400, "invalid_request_error", null,
                        "anthropic-version: \"2023-10-01\" is not a valid version")));
        return out.stream();
    }

    /** The valid call of a provider, given to a case's breaker. */
    record Breaking(Provider p, Call call) {
        Call header(String name, String value) { return call.header(name, value); }
        Call body(String body) { return call.body(body); }
        Call withoutField(String field) { return call.withoutField(field); }
        Call method(String method) { return call.method(method); }
        Call path(String path) { return call.path(path); }
    }

    private static void add(List<Arguments> out, String name, Function<Breaking, Call> breaker, Map<Provider, Expected> expected) {
        assertThat(expected).as("a row for every provider in case %s", name).containsOnlyKeys(Provider.values());
        for (Provider p : Provider.values()) {
            out.add(Arguments.of(name, p, breaker.apply(new Breaking(p, Call.valid(p))), expected.get(p)));
        }
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("cases")
    void answersWithTheProvidersError(String name, Provider p, Call call, Expected expected) {
        Answer a = call.send();

        assertThat(a.status()).as("status of %s: %s", name, a.body()).isEqualTo(expected.status());
        ProviderError e = Envelopes.read(p, a);
        if (expected.type() != null) {
            assertThat(e.type()).as("type").isEqualTo(expected.type());
        }
        if (p == OPENAI) {
            assertThat(e.code()).as("code").isEqualTo(expected.code());
        }
        assertThat(e.message()).as("message").contains(expected.message());
        JournalEntry entry = server.get().journal().awaitRequests(1, Duration.ofSeconds(5)).get(0);
        assertThat(entry.provider()).isEqualTo(p);
        assertThat(entry.fault()).isEqualTo(expected.fault());
        assertThat(entry.faultReason()).startsWith("validation: ");
        assertThat(entry.scenarioId()).isNull();
        assertThat(entry.status()).isEqualTo(expected.status());
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void missingFieldNamesTheParamForOpenAiShapedProviders(Provider p) {
        String field = ProviderFixture.of(p).promptField();
        Answer a = Call.valid(p).withoutField(field).send();
        if (p == OPENAI) {
            assertThat(a.json().path("error").path("param").asText()).isEqualTo(field);
        }
        assertThat(a.status()).isEqualTo(FaultCatalogue.get().lookup(Fault.MISSING_FIELD, p).status());
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void aChunkedBodyTooLargeIsAlso413(Provider p) {
        byte[] big = ("{\"model\":\"" + "y".repeat(MAX_BODY * 2) + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder b = HttpRequest.newBuilder(Calls.chatUri(server.get(), p))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))); // no Content-Length
        Calls.headers(p).forEach(b::header);
        Answer a = Http.send(Http.client(), b.build());

        assertThat(a.status()).isEqualTo(FaultCatalogue.get().lookup(Fault.MALFORMED_BODY, p, "too_large").status());
        Envelopes.read(p, a);
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void aBodyJustAtTheLimitIsAccepted(Provider p) {
        ObjectNode body = Calls.body(p, false);
        String base = body.toString();
        body.put("padding", "z".repeat(MAX_BODY - base.length() - ",\"padding\":\"\"".length()));
        assertThat(body.toString()).hasSize(MAX_BODY);

        Answer a = Calls.chat(server.get(), p, Calls.headers(p), body.toString());

        assertThat(a.status()).as(a.body()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void jsonWithACharsetOrAVendorTypeIsAccepted(Provider p) {
        for (String type : List.of("application/json; charset=utf-8", "application/vnd.api+json", "APPLICATION/JSON")) {
            Answer a = Calls.chat(server.get(), p, Calls.with(Calls.headers(p), "Content-Type", type), Calls.body(p, false).toString());
            assertThat(a.status()).as(type).isEqualTo(200);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Provider.class, names = {"OPENAI", "ZHIPU"})
    void azureStyleAndRawJwtCredentialsAreAccepted(Provider p) {
        Map<String, String> headers = Calls.with(Calls.headers(p), "Authorization", null);
        headers = p == OPENAI ? Calls.with(headers, "api-key", "azure-key-0123456789")
                : Calls.with(headers, "Authorization", "eyJhbGciOiJIUzI1NiIsInNpZ25fdHlwZSI6IlNJR04ifQ.eyJhcGlfa2V5IjoiaWQifQ.c2lnbmF0dXJl");
        Answer a = Calls.chat(server.get(), p, headers, Calls.body(p, false).toString());
        assertThat(a.status()).as(a.body()).isEqualTo(200);
    }

    @org.junit.jupiter.api.Test
    void anthropicAcceptsBearerAuthAndBothKnownVersions() {
        for (String version : List.of("2023-06-01", "2026-10-21")) {
            Map<String, String> h = Calls.with(Calls.headers(ANTHROPIC), "x-api-key", null);
            h = Calls.with(Calls.with(h, "Authorization", "Bearer sk-ant-oat01-token0123456789"), "anthropic-version", version);
            Answer a = Calls.chat(server.get(), ANTHROPIC, h, Calls.body(ANTHROPIC, false).toString());
            assertThat(a.status()).as(version + ": " + a.body()).isEqualTo(200);
        }
    }

    @org.junit.jupiter.api.Test
    void unknownPathsOutsideEveryProviderAreOpenAiShaped() {
        Answer a = Http.send("POST", URI.create(server.get().url() + "/v1/engines/davinci/completions"),
                Calls.headers(OPENAI), Calls.body(OPENAI, false).toString());
        assertThat(a.status()).isEqualTo(404);
        assertThat(Envelopes.read(OPENAI, a).message()).isEqualTo("Invalid URL (POST /v1/engines/davinci/completions)");
    }
}
