package dev.llmfault.server.standalone;

import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Provider;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.Http;
import dev.llmfault.server.testing.Standalone;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's record-then-replay commands on the real jar: the first run records through the proxy (the
 * upstream is an embedded fake server on 127.0.0.1 in place of the real provider), the second replays the
 * fixtures with no upstream at all.
 */
class ProxyCliIT {

    @Test
    void recordThroughTheProxyThenReplayWithoutTheUpstream() throws Exception {
        Path dir = Standalone.workDir().resolve("llm");
        String key = "sk-cli-record-0123456789abcdefghij";
        Answer recorded;
        try (FakeLlmServer upstream = FakeLlmServer.builder().replyText("Recorded by the CLI test.").start();
             Standalone proxy = Standalone.start("--port", "0", "--proxy", "OPENAI=" + upstream.url(),
                     "--proxy-key-env", "OPENAI=HOME", "--record", dir.toString())) {
            recorded = chat(proxy.readyUrl(), key, "Say hello");
            assertThat(recorded.status()).isEqualTo(200);
            assertThat(upstream.journal().entries()).singleElement()
                    .satisfies(e -> assertThat(e.apiKeyMask()).doesNotStartWith("sk-cl")); // $HOME went upstream
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).singleElement().satisfies(f -> assertThat(Files.readString(f)).doesNotContain(key));
        }
        try (Standalone replay = Standalone.start("--port", "0", "--replay", dir.toString(), "--replay-speed", "0")) {
            Answer replayed = chat(replay.readyUrl(), key, "Say hello");
            assertThat(replayed.body()).isEqualTo(recorded.body());
            Answer other = chat(replay.readyUrl(), key, "Something else");
            assertThat(other.status()).isEqualTo(400);
            assertThat(other.body()).contains("closest fixture 0001-openai-v1-chat-completions.json differs");
        }
    }

    private static Answer chat(java.net.URI root, String key, String text) {
        return Http.send("POST", root.resolve(Calls.chatPath(Provider.OPENAI)), Calls.headers(Provider.OPENAI, key),
                Calls.body(Provider.OPENAI, false, text).toString());
    }

    @Test
    void aBadProxyFlagIsOneLineAndExitCodeTwo() {
        Standalone s = Standalone.run("--proxy", "NOPE=https://example.test");

        assertThat(s.exitCode()).isEqualTo(2);
        assertThat(s.stderr().strip()).startsWith("llmfault-server: proxy: provider 'NOPE' is not one of [OPENAI");
    }
}
