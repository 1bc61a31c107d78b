package dev.llmfault.bench;

import io.javalin.http.Context;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The floor of a paced stream: the least a Javalin server must do to hold an OpenAI-shaped SSE stream of
 * {@link ScaleProbe#STREAM_WORDS} words with {@link ScaleProbe#STREAM_GAP_MS} ms between frames without a
 * thread per stream. Fixed frames made once, an asynchronous answer, and a timer (one thread per core) that
 * writes and flushes each frame itself: no journal, no scenarios, no hand-off to the request pool, no watch on the
 * connection, no client that leaves. Our server's 2,000-stream figures beside this show what is Jetty's and the
 * machine's, and what is ours.
 *
 * <pre>{@code
 * if (body.path("stream").asBoolean()) { StreamFloor.stream(ctx, timer); return; }
 * }</pre>
 */
final class StreamFloor {
    /** The writes of one stream, as ours groups them: role + first word, one per word, then finish + [DONE]. */
    private static final List<byte[]> WRITES = writes();

    private StreamFloor() {
    }

    static ScheduledExecutorService timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(Runtime.getRuntime().availableProcessors(), r -> {
            Thread t = new Thread(r, "stream-floor-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    static void stream(Context ctx, ScheduledExecutorService timer) throws IOException {
        ctx.status(200);
        ctx.contentType("text/event-stream");
        ctx.header("Cache-Control", "no-cache");
        OutputStream out = ctx.res().getOutputStream();
        out.write(WRITES.get(0));
        out.flush();
        CompletableFuture<Void> done = new CompletableFuture<>();
        ctx.future(() -> {
            timer.schedule(() -> next(out, 1, timer, done), ScaleProbe.STREAM_GAP_MS, TimeUnit.MILLISECONDS);
            return done;
        });
    }

    private static void next(OutputStream out, int i, ScheduledExecutorService timer, CompletableFuture<Void> done) {
        try {
            out.write(WRITES.get(i));
            out.flush();
        } catch (IOException gone) {
            done.complete(null);
            return;
        }
        if (i + 1 < WRITES.size()) {
            timer.schedule(() -> next(out, i + 1, timer, done), ScaleProbe.STREAM_GAP_MS, TimeUnit.MILLISECONDS);
        } else {
            done.complete(null);
        }
    }

    private static List<byte[]> writes() {
        String id = "chatcmpl-floor0123456789abcdefghijkl";
        String head = "data: {\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":1764633600,"
                + "\"model\":\"gpt-4o-mini\",\"system_fingerprint\":\"fp_floor\",\"choices\":[{\"index\":0,\"delta\":";
        List<byte[]> writes = new ArrayList<>();
        String role = head + "{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n";
        for (int w = 0; w < ScaleProbe.STREAM_WORDS; w++) {
            String word = head + "{\"content\":\"" + (w == 0 ? "" : " ") + "word" + w + "\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n";
            writes.add(bytes(w == 0 ? role + word : word));
        }
        writes.add(bytes(head + "{},\"logprobs\":null,\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"));
        return writes;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
