package dev.llmfault.server.internal.http;

import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.dialect.IncomingRequest;
import dev.llmfault.server.internal.journal.Secrets;
import dev.llmfault.server.internal.journal.SharedStrings;

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
        // Masked values only go to SharedStrings, which lets entries share what repeats (names, values, paths).
        request.headers().forEach((name, value) -> headers.put(name, SharedStrings.share(
                Secrets.isCredentialHeader(name) ? Secrets.maskHeaderValue(value) : Secrets.scrub(value, credential))));
        String body = rawBody.length() > MAX_JOURNAL_BODY ? rawBody.substring(0, MAX_JOURNAL_BODY) : rawBody;
        return new JournalEntry(sequence, time, arrivalNanos, request.method(), SharedStrings.share(request.path()),
                Secrets.scrub(Secrets.maskParams(request.query()), credential), headers, Secrets.scrub(body, credential),
                SharedStrings.share(request.clientAddress()), provider, SharedStrings.share(model), stream,
                SharedStrings.share(keyMask), SharedStrings.share(keyFingerprint), fault, faultReason, scenarioId,
                status, responseHeaders, Duration.ofNanos(System.nanoTime() - arrivalNanos));
    }
}
