package dev.llmfault.server.internal.dialect;

import dev.llmfault.server.Provider;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The provider seam: every provider constant has a dialect, routes with path parameters, and routing that
 * tells shared prefixes apart by method, by the literal part of a pattern ({@code :action} suffixes) and by
 * the headers a provider's clients send.
 */
class DialectsTest {
    private static final Dialects DIALECTS = Dialects.get();

    static IncomingRequest request(String method, String path, Map<String, String> headers) {
        return new IncomingRequest(method, path, null, headers, "application/json", "127.0.0.1");
    }

    @Test
    void everyProviderHasADialectThatSpeaksForItAndListsModelsWithContextWindows() {
        assertThat(DIALECTS.all()).extracting(Dialect::provider).containsExactly(Provider.values());
        assertThat(DIALECTS.defaultModelIds()).containsOnlyKeys(Arrays.asList(Provider.values()));
        assertThat(DIALECTS.all()).allSatisfy(d -> {
            assertThat(d.routes()).as("routes of %s", d.provider()).isNotEmpty();
            assertThat(d.defaultModels()).as("models of %s", d.provider()).isNotEmpty()
                    .allSatisfy(m -> assertThat(m.contextWindow()).isPositive());
        });
    }

    @Test
    void aRouteReadsItsPathParametersAndDecodesThem() {
        Route gemini = new Route("POST", "/v1beta/models/{model}:generateContent", Route.Kind.CHAT);
        Route bedrock = new Route("POST", "/model/{modelId}/converse-stream", Route.Kind.CHAT);

        assertThat(gemini.match("/v1beta/models/gemini-2.0-flash:generateContent")).containsEntry("model", "gemini-2.0-flash");
        assertThat(gemini.match("/v1beta/models/gemini-2.0-flash:streamGenerateContent")).isNull();
        assertThat(gemini.match("/v1beta/models/a/b:generateContent")).as("one segment only").isNull();
        assertThat(gemini.match("/v1beta/models/:generateContent")).as("a parameter is never empty").isNull();
        assertThat(bedrock.match("/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse-stream"))
                .containsEntry("modelId", "anthropic.claude-3-haiku-20240307-v1:0");
        assertThat(gemini.specificity()).isGreaterThan(new Route("GET", "/v1/models/{id}", Route.Kind.MODEL).specificity());
        assertThatThrownBy(() -> new Route("GET", "/v1/{a}{b}", Route.Kind.MODEL)).hasMessageContaining("side by side");
        assertThatThrownBy(() -> new Route("GET", "v1/models", Route.Kind.MODELS)).hasMessageContaining("starts with '/'");
    }

    @Test
    void aSharedPathGoesToTheProviderWhoseClientsSendItsHeader() {
        Dialects.Resolution openAi = DIALECTS.resolve(request("GET", "/v1/models", Map.of("authorization", "Bearer k")));
        Dialects.Resolution anthropic = DIALECTS.resolve(request("GET", "/v1/models", Map.of("anthropic-version", "2023-06-01")));

        assertThat(openAi.dialect().provider()).isEqualTo(Provider.OPENAI);
        assertThat(anthropic.dialect().provider()).isEqualTo(Provider.ANTHROPIC);
        assertThat(anthropic.route().kind()).isEqualTo(Route.Kind.MODELS);
    }

    @Test
    void aModelIdWithColonsIsOneParameter() {
        Dialects.Resolution r = DIALECTS.resolve(request("GET", "/v1/models/ft:gpt-4o-mini:acme::abc123", Map.of()));

        assertThat(r.dialect().provider()).isEqualTo(Provider.OPENAI);
        assertThat(r.route().kind()).isEqualTo(Route.Kind.MODEL);
        assertThat(r.route().param("model")).isEqualTo("ft:gpt-4o-mini:acme::abc123");
    }

    @Test
    void aKnownPathWithAnotherMethodIsThatProvidersWrongMethod() {
        Dialects.Resolution r = DIALECTS.resolve(request("GET", "/v2/chat", Map.of()));

        assertThat(r.dialect().provider()).isEqualTo(Provider.COHERE);
        assertThat(r.unknownPath()).isFalse();
        assertThat(r.methodAllowed()).isFalse();
    }

    @Test
    void anUnknownPathBelongsToTheProviderWhosePathSpaceItIsIn() {
        assertThat(DIALECTS.resolve(request("POST", "/api/paas/v3/model-api", Map.of())).dialect().provider())
                .isEqualTo(Provider.ZHIPU);
        assertThat(DIALECTS.resolve(request("POST", "/v2/generate", Map.of())).dialect().provider()).isEqualTo(Provider.COHERE);
        assertThat(DIALECTS.resolve(request("POST", "/v1/complete", Map.of("x-api-key", "k"))).dialect().provider())
                .isEqualTo(Provider.ANTHROPIC);
        Dialects.Resolution elsewhere = DIALECTS.resolve(request("POST", "/nowhere", Map.of()));
        assertThat(elsewhere.unknownPath()).isTrue();
        assertThat(elsewhere.dialect().provider()).as("the fallback: most clients speak OpenAI").isEqualTo(Provider.OPENAI);
    }

    @Test
    void aQueryParameterIsReadDecoded() {
        IncomingRequest r = new IncomingRequest("POST", "/x", "alt=sse&key=AIza%2Bkey&flag", Map.of(), null, "127.0.0.1");

        assertThat(r.queryParam("key")).isEqualTo("AIza+key");
        assertThat(r.queryParam("alt")).isEqualTo("sse");
        assertThat(r.queryParam("flag")).isEmpty();
        assertThat(r.queryParam("absent")).isNull();
    }
}
