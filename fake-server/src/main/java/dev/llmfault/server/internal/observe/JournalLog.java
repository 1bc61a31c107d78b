package dev.llmfault.server.internal.observe;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.internal.json.Json;

import java.io.PrintStream;
import java.util.function.Consumer;

/**
 * The journal as structured log lines, one JSON object per exchange, for a CI log collector: what was asked and
 * answered, never a body or a credential (the key only as its mask, as the journal keeps it).
 *
 * <pre>
 * {"journal":"llmfault","seq":7,"time":"2026-12-02T13:04:05.123Z","method":"POST","path":"/v1/chat/completions",
 *  "provider":"OPENAI","model":"gpt-4o-mini","stream":false,"status":429,"fault":"RATE_LIMITED",
 *  "reason":"scenario s-1 (match #1)","scenario":"s-1","key":"sk-te***cdef","requestId":"req_...",
 *  "retryAfterMs":200,"durationMs":1.8}
 * </pre>
 */
public final class JournalLog implements Consumer<JournalEntry> {
    private final PrintStream out;

    public JournalLog(PrintStream out) {
        this.out = out;
    }

    @Override
    public void accept(JournalEntry e) {
        String line = line(e).toString();
        synchronized (out) {
            out.println(line); // one println per line: lines from many request threads never interleave
        }
    }

    static ObjectNode line(JournalEntry e) {
        ObjectNode n = Json.object();
        n.put("journal", "llmfault");
        n.put("seq", e.sequence());
        n.put("time", e.time().toString());
        n.put("method", e.method());
        n.put("path", e.path());
        if (e.provider() != null) n.put("provider", e.provider().name());
        if (e.model() != null) n.put("model", e.model());
        n.put("stream", e.stream());
        n.put("status", e.status());
        if (e.fault() != null) n.put("fault", e.fault().name());
        if (e.faultReason() != null) n.put("reason", e.faultReason());
        if (e.scenarioId() != null) n.put("scenario", e.scenarioId());
        if (e.apiKeyMask() != null) n.put("key", e.apiKeyMask());
        String id = e.responseHeader("x-request-id") != null ? e.responseHeader("x-request-id") : e.responseHeader("request-id");
        if (id != null) n.put("requestId", id);
        e.retryAfter().ifPresent(d -> n.put("retryAfterMs", d.toMillis()));
        n.put("durationMs", e.duration().toNanos() / 1_000_000.0);
        return n;
    }
}
