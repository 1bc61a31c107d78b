package dev.llmfault.server.testing;

import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.catalogue.Placeholder;

import java.util.Arrays;
import java.util.stream.Collectors;

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
    private static final Pattern UNFILLED = Pattern.compile("\\{(" + Arrays.stream(Placeholder.values())
            .map(Placeholder::token).collect(Collectors.joining("|")) + ")\\}");

    private Envelopes() {
    }

    /** The error as read from the envelope: type (Zhipu: the string code), code (OpenAI), message. */
    public record ProviderError(String type, String code, String message) {
    }

    /** Fails unless the answer is this provider's error envelope; returns its parts. */
    public static ProviderError read(Provider p, Answer a) {
        assertThat(a.header("content-type")).as("content type of %s", a.body()).startsWith("application/json");
        ProviderError e = ProviderFixture.of(p).readError(a);
        assertThat(e.message()).as("message of %s", a.body()).isNotBlank().doesNotContainPattern(UNFILLED);
        assertThat(a.header(requestIdHeader(p))).as("request-id header").isNotBlank();
        return e;
    }

    /** The request-id header each provider sends. */
    public static String requestIdHeader(Provider p) {
        return ProviderFixture.of(p).requestIdHeader();
    }
}
