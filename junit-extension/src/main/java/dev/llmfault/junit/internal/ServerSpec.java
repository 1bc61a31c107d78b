package dev.llmfault.junit.internal;

import dev.llmfault.junit.LlmFaultScenario;
import dev.llmfault.junit.LlmFaultTest;
import dev.llmfault.server.FakeLlmServer;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * The server-wide settings of an embedded server. Value equality decides whether a test can share its class's
 * server: a method whose {@code @LlmFaultTest} asks for other settings gets a server of its own.
 *
 * @param customizer a programmatic hook on the server builder (compared by identity), or null
 */
public record ServerSpec(String replyText, Long seed, Integer journalSize, Long firstChunkDelayMs, Long chunkDelayMs,
                         String replay, Consumer<FakeLlmServer.Builder> customizer) {

    public static final ServerSpec DEFAULTS = new ServerSpec(null, null, null, null, null, null, null);

    static ServerSpec of(LlmFaultTest a) {
        return new ServerSpec(a.replyText().isEmpty() ? null : a.replyText(),
                a.seed() == LlmFaultScenario.UNSET_LONG ? null : a.seed(),
                a.journalSize() == LlmFaultScenario.UNSET ? null : a.journalSize(),
                a.firstChunkDelayMs() == LlmFaultScenario.UNSET_LONG ? null : a.firstChunkDelayMs(),
                a.chunkDelayMs() == LlmFaultScenario.UNSET_LONG ? null : a.chunkDelayMs(),
                a.replay().isEmpty() ? null : a.replay(),
                null);
    }

    /** Starts an embedded server; a wrong value fails naming the setting and where it was declared. */
    public FakeLlmServer start(String origin) {
        FakeLlmServer.Builder b = FakeLlmServer.builder();
        if (replyText != null) b.replyText(replyText);
        if (seed != null) b.seed(seed);
        if (journalSize != null) b.journalSize(journalSize);
        if (firstChunkDelayMs != null) b.firstChunkDelay(checkMs("firstChunkDelayMs", firstChunkDelayMs, origin));
        if (chunkDelayMs != null) b.chunkDelay(checkMs("chunkDelayMs", chunkDelayMs, origin));
        if (replay != null) b.replay(java.nio.file.Path.of(replay), 0, true);
        if (customizer != null) customizer.accept(b);
        try {
            return b.start();
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            int colon = message.indexOf(':');
            String field = colon > 0 ? message.substring(0, colon) : "server";
            throw ConfigErrors.invalid("LlmFaultTest", field, valueOf(field), origin, message);
        }
    }

    private Object valueOf(String field) {
        return switch (field) {
            case "journalSize" -> journalSize;
            case "replyText" -> replyText;
            case "seed" -> seed;
            case "replay" -> replay;
            default -> "?";
        };
    }

    private static Duration checkMs(String field, long ms, String origin) {
        if (ms < 0) {
            throw ConfigErrors.invalid("LlmFaultTest", field, ms, origin,
                    field + ": invalid value " + ms + ", expected an integer >= 0");
        }
        return Duration.ofMillis(ms);
    }
}
