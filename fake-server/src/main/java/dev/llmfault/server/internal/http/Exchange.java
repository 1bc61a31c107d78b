package dev.llmfault.server.internal.http;

import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.dialect.IncomingRequest;
import dev.llmfault.server.internal.journal.Secrets;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the journal will say about one request, filled in as the pipeline learns it. Lives on one request
 * thread only. The raw credential is held only until {@link #toEntry()}, which masks everything.
 */
final class Exchange {
    static final int MAX_JOURNAL_BODY = 64 * 1024;

    final long sequence;
    final Instant time;
    final long arrivalNanos;
    final IncomingRequest request;
    Provider provider;
    String model;
    boolean stream;
    String rawBody = "";
    private String credential;
    private String keyMask;
    private String keyFingerprint;
    Fault fault;
    String faultReason;
    String scenarioId;
    int status;
    Map<String, String> responseHeaders = Map.of();

    Exchange(long sequence, Instant time, long arrivalNanos, IncomingRequest request) {
        this.sequence = sequence;
        this.time = time;
        this.arrivalNanos = arrivalNanos;
        this.request = request;
    }

    void credential(String raw) {
        this.credential = raw;
        this.keyMask = Secrets.mask(raw);
        this.keyFingerprint = Secrets.fingerprint(raw);
    }

    /**
     * The text with every credential of this request masked (and any JWT), for text that echoes the request.
     * Besides the credential the dialect read, the values of all credential headers count: a request refused
     * before its credential was read (unknown path, wrong method) may still carry its key elsewhere.
     */
    String scrub(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = Secrets.scrub(text, credential);
        for (Map.Entry<String, String> h : request.headers().entrySet()) {
            if (Secrets.isCredentialHeader(h.getKey())) {
                String value = h.getValue().trim();
                int space = value.indexOf(' ');
                out = Secrets.scrub(out, space > 0 ? value.substring(space + 1).trim() : value);
            }
        }
        return out;
    }

    String keyMask() {
        return keyMask;
    }

    String keyFingerprint() {
        return keyFingerprint;
    }

    void fault(Fault fault, String reason, String scenarioId) {
        this.fault = fault;
        this.faultReason = reason;
        this.scenarioId = scenarioId;
    }

    JournalEntry toEntry() {
        Map<String, String> headers = new LinkedHashMap<>();
        request.headers().forEach((name, value) -> headers.put(name,
                Secrets.isCredentialHeader(name) ? Secrets.maskHeaderValue(value) : scrub(value)));
        String body = scrub(rawBody); // before cutting, so a key across the cut is still found
        body = body.length() > MAX_JOURNAL_BODY ? body.substring(0, MAX_JOURNAL_BODY) : body;
        return new JournalEntry(sequence, time, arrivalNanos, request.method(), request.path(),
                scrub(Secrets.maskParams(request.query())), headers, body,
                request.clientAddress(), provider, scrub(model), stream, keyMask, keyFingerprint, fault, scrub(faultReason), scenarioId,
                status, responseHeaders, Duration.ofNanos(System.nanoTime() - arrivalNanos));
    }
}
