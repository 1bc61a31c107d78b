package dev.llmfault.server.internal.http;

import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.dialect.IncomingRequest;
import dev.llmfault.server.internal.journal.BoundedJournal;
import dev.llmfault.server.internal.journal.Secrets;

import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the journal will say about one request, filled in as the pipeline learns it. Lives on one request
 * thread only. The raw credential is held only until {@link #toEntry()}, which masks everything.
 *
 * <p>{@link #record} runs just BEFORE the last bytes of the answer are written: a client that has its
 * answer must find the request in the journal, or every "assert right after the call" would race.
 */
final class Exchange {
    private static final Logger LOG = LoggerFactory.getLogger(Exchange.class);

    static final int MAX_JOURNAL_BODY = 64 * 1024;

    final long sequence;
    final Instant time;
    final long arrivalNanos;
    final IncomingRequest request;
    Provider provider;
    String model;
    boolean stream;
    String rawBody = "";
    /** A form body (the OAuth endpoint): its secret fields are masked by name. */
    boolean formBody;
    private String credential;
    private String keyMask;
    private String keyFingerprint;
    Fault fault;
    String faultReason;
    String scenarioId;
    int status;
    Map<String, String> responseHeaders = Map.of();

    private final BoundedJournal journal;
    private boolean recorded;

    Exchange(BoundedJournal journal, Instant time, long arrivalNanos, IncomingRequest request) {
        this.journal = journal;
        this.sequence = journal.nextSequence();
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

    /** Journals the exchange once, with the response headers set so far. */
    void record(HttpServletResponse response) {
        if (recorded) {
            return;
        }
        recorded = true;
        responseHeaders = ProviderPipeline.responseHeaders(response);
        JournalEntry entry = toEntry();
        journal.record(entry);
        if (LOG.isDebugEnabled()) {
            LOG.debug("#{} {} {} -> {}{} key={} ({} ms)", entry.sequence(), entry.method(), entry.path(), entry.status(),
                    entry.fault() == null ? "" : " " + entry.fault() + " [" + entry.faultReason() + "]",
                    entry.apiKeyMask(), entry.duration().toMillis());
        }
    }

    JournalEntry toEntry() {
        Map<String, String> headers = new LinkedHashMap<>();
        request.headers().forEach((name, value) -> headers.put(name,
                Secrets.isCredentialHeader(name) ? Secrets.maskHeaderValue(value) : Secrets.scrub(value, credential)));
        String body = rawBody.length() > MAX_JOURNAL_BODY ? rawBody.substring(0, MAX_JOURNAL_BODY) : rawBody;
        if (formBody) {
            body = Secrets.maskParams(body);
        }
        return new JournalEntry(sequence, time, arrivalNanos, request.method(), request.path(),
                Secrets.scrub(Secrets.maskParams(request.query()), credential), headers, Secrets.scrub(body, credential),
                request.clientAddress(), provider, model, stream, keyMask, keyFingerprint, fault, faultReason, scenarioId,
                status, responseHeaders, Duration.ofNanos(System.nanoTime() - arrivalNanos));
    }
}
