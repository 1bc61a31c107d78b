package dev.llmfault.server.proxy;

import dev.llmfault.server.internal.proxy.Scrubber;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the recorder takes out of a fixture before it is written. */
class ScrubberTest {
    private static final String CANARY = "sk-proj-CANARY0123456789abcdefXYZ";

    @Test
    void credentialHeadersAreDroppedAndOtherHeadersScrubbed() {
        Map<String, String> out = Scrubber.defaults().headers(Map.of(
                "Authorization", "Bearer " + CANARY, "x-api-key", CANARY, "api-key", CANARY, "x-goog-api-key", "AIzaSyA-1234567890abcdefghijkl",
                "x-amz-security-token", "FQoGZXIvYXdzEJr//////////wEaDM", "X-Note", "forwarded for " + CANARY, "content-type", "application/json"));

        assertThat(out).containsOnlyKeys("x-note", "content-type");
        assertThat(out.get("x-note")).isEqualTo("forwarded for <scrubbed>");
    }

    @Test
    void keyShapesInBodiesAndQueriesAreReplaced() {
        Scrubber s = Scrubber.defaults();
        String body = "{\"api_key\":\"abc123secret\",\"note\":\"use " + CANARY + " or AKIAIOSFODNN7EXAMPLE or "
                + "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLXNpZw\",\"auth\":\"Bearer abcdefgh12345678\"}";

        String out = s.text(body);

        assertThat(out).doesNotContain(CANARY, "AKIAIOSFODNN7EXAMPLE", "eyJhbGci", "abc123secret", "abcdefgh12345678")
                .contains("Bearer <scrubbed>");
        assertThat(s.query("alt=sse&key=AIzaSyA-1234567890abcdefghijkl")).isEqualTo("alt=sse&key=<scrubbed>");
    }

    @Test
    void aKnownSecretIsReplacedWhateverItsShape() {
        assertThat(Scrubber.defaults().text("token is plainword42", "plainword42")).isEqualTo("token is <scrubbed>");
    }

    @Test
    void extraPatternsApplyAndABadOneIsNamed() {
        assertThat(Scrubber.withExtraPatterns(List.of("acct_[0-9]+")).text("billing acct_4242")).isEqualTo("billing <scrubbed>");
        assertThatThrownBy(() -> Scrubber.withExtraPatterns(List.of("ok", "([")))
                .hasMessageStartingWith("scrubPatterns[1]: invalid regular expression '(['");
    }
}
