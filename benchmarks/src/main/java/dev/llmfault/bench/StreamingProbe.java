package dev.llmfault.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Streams from our standalone server: how long a 1,000-chunk stream with no delay takes end to end, and
 * how close configured delays land (measured on the client, from the moment the 200 and its headers
 * arrive, which the server flushes before the first delay).
 */
final class StreamingProbe {
    static final int WORDS = 1000;
    static final long FIRST_DELAY_MS = 100;
    static final long CHUNK_DELAY_MS = 20;
    static final int DELAY_WORDS = 20;

    private static final String STREAM_BODY = "{\"model\":\"gpt-4o-mini\",\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Stream me something.\"}]}";

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** A config whose reply is {@code words} words (the server splits at white space: one chunk each). */
    static Path config(Path dir, String name, int words, long firstDelayMs, long chunkDelayMs) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < words; i++) {
            text.append(i == 0 ? "" : " ").append("word").append(i);
        }
        String yaml = "reply:\n  text: \"" + text + "\"\n  firstChunkDelayMs: " + firstDelayMs
                + "\n  chunkDelayMs: " + chunkDelayMs + "\n";
        Path file = dir.resolve(name);
        try {
            Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** One stream: nanoTime of the headers, then of each data frame as it is read. */
    record Timeline(long headersNanos, long startNanos, List<Long> frameNanos) {
        double totalMs() {
            return (frameNanos.get(frameNanos.size() - 1) - startNanos) / 1e6;
        }
    }

    Timeline stream(int port) {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + Stubs.PATH))
                .header("Content-Type", "application/json")
                .header("Authorization", Stubs.AUTHORIZATION)
                .POST(HttpRequest.BodyPublishers.ofString(STREAM_BODY))
                .build();
        long start = System.nanoTime();
        try {
            HttpResponse<InputStream> res = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
            long headers = System.nanoTime();
            if (res.statusCode() != 200) {
                throw new IllegalStateException("stream answered " + res.statusCode());
            }
            List<Long> frames = new ArrayList<>();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("data:")) {
                        frames.add(System.nanoTime());
                        if (line.equals("data: [DONE]")) {
                            break;
                        }
                    }
                }
            }
            return new Timeline(headers, start, frames);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    record ThousandChunks(int frames, double medianMs, double p90Ms, double framesPerSecond) {
    }

    /** Warm-up streams first (the JIT), then the measured ones. */
    ThousandChunks thousandChunks(int port, int warmups, int rounds) {
        for (int i = 0; i < warmups; i++) {
            stream(port);
        }
        double[] ms = new double[rounds];
        int frames = 0;
        for (int i = 0; i < rounds; i++) {
            Timeline t = stream(port);
            ms[i] = t.totalMs();
            frames = t.frameNanos().size();
        }
        Arrays.sort(ms);
        double median = ms[rounds / 2];
        return new ThousandChunks(frames, median, ms[(int) Math.ceil(rounds * 0.9) - 1], frames / (median / 1000));
    }

    /** Errors in ms, measured minus configured (positive = late). */
    record DelayErrors(double firstMeanMs, double firstMaxMs, double gapMeanMs, double gapP99Ms, double gapMaxMs,
                       int gaps) {
    }

    DelayErrors delays(int port, int rounds) {
        stream(port); // warm-up
        List<Double> first = new ArrayList<>();
        List<Double> gaps = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            Timeline t = stream(port);
            List<Long> f = t.frameNanos();
            first.add((f.get(0) - t.headersNanos()) / 1e6 - FIRST_DELAY_MS);
            // Every frame after the first waits chunkDelay, the terminal [DONE] included.
            for (int i = 1; i < f.size(); i++) {
                gaps.add((f.get(i) - f.get(i - 1)) / 1e6 - CHUNK_DELAY_MS);
            }
        }
        gaps.sort(null);
        return new DelayErrors(mean(first), first.stream().mapToDouble(Math::abs).max().orElse(0), mean(gaps),
                gaps.get((int) Math.ceil(gaps.size() * 0.99) - 1), gaps.stream().mapToDouble(Math::abs).max().orElse(0),
                gaps.size());
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }
}
