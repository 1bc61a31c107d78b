package dev.llmfault.server.proxy;

import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Scenario;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Http;
import dev.llmfault.server.testing.ProviderFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Record through the proxy, then replay without the upstream: same bytes, no secret in the files, faults on top. */
class RecordReplayTest {
    private static final String CANARY = "sk-proj-CANARYkey0123456789abcdefghij";
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T keep(T c) {
        open.add(c);
        return c;
    }

    private static Answer call(FakeLlmServer server, ProviderFixture f, boolean stream, String text) {
        Map<String, String> headers = new HashMap<>(f.requiredHeaders());
        headers.putAll(f.credential(CANARY));
        headers.put("content-type", "application/json");
        return Http.send("POST", server.url().resolve(f.chatPath(stream)), headers, f.body(stream, text).toString());
    }

    private Path record(Path dir, ProviderFixture f) {
        FakeLlmServer up = keep(FakeLlmServer.builder().replyText("Recorded words, " + CANARY.substring(0, 4) + " safe.").start());
        FakeLlmServer proxy = keep(FakeLlmServer.builder().proxy(f.provider(), up.url()).record(dir).start());
        assertThat(call(proxy, f, false, "Turn one").status()).isEqualTo(200);
        assertThat(call(proxy, f, true, "Turn two").status()).isEqualTo(200);
        return dir;
    }

    @Test
    void replayedAnswersAreByteIdenticalToTheRecordedOnesAndNoKeyReachesTheFiles(@TempDir Path dir) throws Exception {
        ProviderFixture f = ProviderFixture.of(Provider.ANTHROPIC);
        FakeLlmServer up = keep(FakeLlmServer.builder().replyText("Recorded words for replay.").start());
        FakeLlmServer proxy = keep(FakeLlmServer.builder().proxy(f.provider(), up.url()).record(dir).start());
        Answer livePlain = call(proxy, f, false, "Turn one");
        Answer liveStream = call(proxy, f, true, "Turn two");

        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.sorted().toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString())
                .containsExactly("0001-anthropic-v1-messages.json", "0002-anthropic-v1-messages.json");
        for (Path file : files) {
            String text = Files.readString(file);
            assertThat(text).doesNotContain(CANARY, CANARY.substring(8, 30), "x-api-key");
        }

        FakeLlmServer replay = keep(FakeLlmServer.builder().replay(dir, 0, true).start());
        Answer replayedPlain = call(replay, f, false, "Turn one");
        Answer replayedStream = call(replay, f, true, "Turn two");

        assertThat(replayedPlain.body()).isEqualTo(livePlain.body());
        assertThat(replayedStream.body()).isEqualTo(liveStream.body());
        assertThat(replay.journal().entries()).extracting(JournalEntry::origin)
                .containsOnly(JournalEntry.Origin.REPLAY);
    }

    @Test
    void anUnmatchedRequestIsAnErrorNamingTheClosestFixtureUnlessLenient(@TempDir Path dir) {
        ProviderFixture f = ProviderFixture.of(Provider.OPENAI);
        record(dir, f);

        FakeLlmServer strict = keep(FakeLlmServer.builder().replay(dir, 0, true).start());
        Answer miss = call(strict, f, false, "Turn 1");
        assertThat(miss.status()).isEqualTo(400);
        assertThat(f.readError(miss).message())
                .contains("no recorded answer matches POST " + f.chatPath(false))
                .contains("closest fixture 0001-openai-v1-chat-completions.json differs: body/messages/0/content: "
                        + "recorded \"Turn one\", sent \"Turn 1\"");
        JournalEntry e = strict.journal().entries().get(0);
        assertThat(e.origin()).isEqualTo(JournalEntry.Origin.REPLAY_UNMATCHED);
        assertThat(e.isFault()).isTrue();

        FakeLlmServer lenient = keep(FakeLlmServer.builder().replay(dir, 0, false).start());
        Answer fallback = call(lenient, f, false, "Turn 1");
        assertThat(fallback.status()).isEqualTo(200);
        assertThat(fallback.body()).contains(FakeLlmServer.DEFAULT_REPLY_TEXT);
    }

    @Test
    void faultsApplyOnTopOfReplayedAnswers(@TempDir Path dir) {
        ProviderFixture f = ProviderFixture.of(Provider.OPENAI);
        record(dir, f);
        FakeLlmServer replay = keep(FakeLlmServer.builder().replay(dir, 0, true)
                .scenario(Scenario.builder(Fault.RATE_LIMITED).after(1).times(1).retryAfterMs(200).build()).start());

        assertThat(call(replay, f, false, "Turn one").status()).isEqualTo(200);
        assertThat(call(replay, f, false, "Turn one").status()).isEqualTo(429); // the 429 on turn 2
        assertThat(call(replay, f, false, "Turn one").status()).isEqualTo(200);
        replay.scenarios().add(Scenario.builder(Fault.STREAM_ERROR).afterChunks(1).build());
        Answer cut = call(replay, f, true, "Turn two");
        f.assertEndsWithErrorFrame(cut.body());
    }

    @Test
    void theConfigFileSetsProxyRecordAndReplayAndNamesABadValue(@TempDir Path dir) throws Exception {
        Path fixtures = Files.createDirectories(dir.resolve("llm"));
        Path good = dir.resolve("good.yaml");
        Files.writeString(good, "replay:\n  dir: llm\n  speed: 0\n  strict: false\n  volatileFields: [user]\n");
        try (FakeLlmServer s = FakeLlmServer.builder().config(good).start()) {
            ProviderFixture f = ProviderFixture.of(Provider.OPENAI);
            assertThat(call(s, f, false, "anything").body()).contains(FakeLlmServer.DEFAULT_REPLY_TEXT); // lenient, empty dir
        }
        assertThat(fixtures).isEmptyDirectory();

        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "proxy:\n  upstreams:\n    OPENAI:\n      url: ftp://example.test\n");
        assertThatThrownBy(() -> FakeLlmServer.builder().config(bad))
                .hasMessageContaining("bad.yaml:4: proxy.upstreams.OPENAI.url: ")
                .hasMessageContaining("must start with https:// or http://");
        Path missing = dir.resolve("missing.yaml");
        Files.writeString(missing, "replay:\n  dir: nowhere\n");
        assertThatThrownBy(() -> FakeLlmServer.builder().config(missing).start())
                .hasMessageContaining("replay: '").hasMessageContaining("nowhere' is not a directory");
        Path recordOnly = dir.resolve("record.yaml");
        Files.writeString(recordOnly, "record: {dir: out}\n");
        assertThatThrownBy(() -> FakeLlmServer.builder().config(recordOnly))
                .hasMessageContaining("needs proxy mode: add an upstream with --proxy PROVIDER=URL");
    }
}
