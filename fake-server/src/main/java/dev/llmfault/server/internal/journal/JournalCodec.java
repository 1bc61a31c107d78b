package dev.llmfault.server.internal.journal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.internal.json.Json;

/** The JSON shape of a journal entry in admin answers. Entries are already masked. */
public final class JournalCodec {
    private JournalCodec() {
    }

    public static ObjectNode write(JournalEntry e) {
        ObjectNode n = Json.object();
        n.put("sequence", e.sequence());
        n.put("time", e.time().toString());
        n.put("monotonicNanos", e.monotonicNanos());
        n.put("method", e.method());
        n.put("path", e.path());
        if (e.query() != null) n.put("query", e.query());
        ObjectNode headers = n.putObject("headers");
        e.headers().forEach(headers::put);
        e.json().ifPresentOrElse(json -> n.set("body", json), () -> n.put("body", e.body()));
        n.put("clientAddress", e.clientAddress());
        n.put("provider", e.provider() == null ? null : e.provider().name());
        if (e.model() != null) n.put("model", e.model());
        n.put("stream", e.stream());
        if (e.apiKeyMask() != null) {
            n.put("apiKeyMask", e.apiKeyMask());
            n.put("apiKeyFingerprint", e.apiKeyFingerprint());
        }
        if (e.fault() != null) {
            n.put("fault", e.fault().name());
            n.put("faultReason", e.faultReason());
        }
        if (e.scenarioId() != null) n.put("scenarioId", e.scenarioId());
        n.put("status", e.status());
        ObjectNode responseHeaders = n.putObject("responseHeaders");
        e.responseHeaders().forEach(responseHeaders::put);
        n.put("durationMs", e.duration().toNanos() / 1_000_000.0);
        return n;
    }
}
