package dev.llmfault.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.Provider;

import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks that an error answer has exactly the shape of its provider's error envelope (see
 * shared/spec/providers.md) and returns the parts a test compares.
 */
public final class Envelopes {
    /**
     * A placeholder of the catalogue left unfilled in a message ({@code {keyMask}}) means the catalogue and the
     * responder disagree. Only the catalogue's names count: a message may echo a client's "{A}" content type.
     */
    private static final Pattern UNFILLED = Pattern.compile("\\{(key|keyMask|model|field|method|path|version|detail|scope"
            + "|ip|region|limit|used|requested|retryIn|retrySeconds|retryMs|requestId|status|fault|size|maxSize|contentType)\\}");

    private Envelopes() {
    }

    /** The error as read from the envelope: type (Zhipu: the string code), code (OpenAI), message. */
    public record ProviderError(String type, String code, String message) {
    }

    /** Fails unless the answer is this provider's error envelope; returns its parts. */
    public static ProviderError read(Provider p, Answer a) {
        assertThat(a.header("content-type")).as("content type of %s", a.body()).startsWith("application/json");
        JsonNode root = a.json();
        ProviderError e = switch (p) {
            case OPENAI -> {
                JsonNode error = root.path("error");
                assertThat(root.size()).as("top-level fields of %s", root).isEqualTo(1);
                assertThat(error.path("message").isTextual()).as("error.message of %s", root).isTrue();
                assertThat(error.path("type").isTextual()).as("error.type (openai-java requires it) of %s", root).isTrue();
                assertThat(error.has("param")).as("error.param of %s", root).isTrue();
                assertThat(error.has("code")).as("error.code of %s", root).isTrue();
                assertThat(error.get("code").isNull() || error.get("code").isTextual()).as("error.code of %s", root).isTrue();
                yield new ProviderError(error.get("type").asText(), error.get("code").isNull() ? null : error.get("code").asText(),
                        error.get("message").asText());
            }
            case ANTHROPIC -> {
                assertThat(root.path("type").asText()).as("type of %s", root).isEqualTo("error");
                JsonNode error = root.path("error");
                assertThat(error.path("type").isTextual()).as("error.type of %s", root).isTrue();
                assertThat(error.path("message").isTextual()).as("error.message of %s", root).isTrue();
                assertThat(root.path("request_id").asText()).as("request_id of %s", root).isEqualTo(a.header("request-id"));
                yield new ProviderError(error.get("type").asText(), null, error.get("message").asText());
            }
            case COHERE -> {
                assertThat(root.size()).as("fields of %s", root).isEqualTo(2);
                assertThat(root.path("id").asText()).as("id of %s", root)
                        .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
                assertThat(root.path("message").isTextual()).as("message of %s", root).isTrue();
                yield new ProviderError(null, null, root.get("message").asText());
            }
            case ZHIPU -> {
                JsonNode error = root.path("error");
                assertThat(error.path("code").isTextual()).as("error.code is a STRING in %s", root).isTrue();
                assertThat(error.path("code").asText()).as("error.code of %s", root).matches("1\\d{3}");
                assertThat(error.path("message").isTextual()).as("error.message of %s", root).isTrue();
                assertThat(root.path("request_id").isTextual()).as("request_id of %s", root).isTrue();
                yield new ProviderError(error.get("code").asText(), null, error.get("message").asText());
            }
        };
        assertThat(e.message()).as("message of %s", a.body()).isNotBlank().doesNotContainPattern(UNFILLED);
        assertThat(a.header(requestIdHeader(p))).as("request-id header").isNotBlank();
        return e;
    }

    /** The request-id header each provider sends. */
    public static String requestIdHeader(Provider p) {
        return p == Provider.ANTHROPIC ? "request-id" : "x-request-id";
    }
}
