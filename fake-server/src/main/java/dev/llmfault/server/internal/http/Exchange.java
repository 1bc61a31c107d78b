package dev.llmfault.server.internal.http;

import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.dialect.Answer;
import dev.llmfault.server.internal.dialect.ChatCall;
import dev.llmfault.server.internal.dialect.IncomingRequest;
import dev.llmfault.server.internal.journal.BoundedJournal;
import dev.llmfault.server.internal.journal.Secrets;
import dev.llmfault.server.internal.journal.SharedStrings;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.server.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the journal will say about one request, filled in as the pipeline learns it. Filled on the request
 * thread; an answer that waits ({@link PacedAnswer}) then journals it from the server's pool, hence the
 * synchronized journaling. The raw credential is held only until {@link #toEntry()}, which masks everything.
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
    /** What {@link #scrub} masks, once found (see {@link #secrets()}), or null. */
    private List<String> secrets;
    private List<String> needles;
    /** Whom the credential, a token of the OAuth endpoint, was issued to (a fingerprint), or null: see JournalEntry#tokenOwnerFingerprint. */
    String tokenOwner;
    Fault fault;
    String faultReason;
    /** What the transport did besides the answer (a too-large body cut off), added to the journal's reason. */
    String note;
    String scenarioId;
    /** The reply rule that chose the answer, or null for the default reply. */
    String replyId;
    /** The OpenAI-compatible vendor whose base path was called, or null: see JournalEntry#alias. */
    String alias;
    int status;
    /** The wait the answer asked of the client (header or body), -1 for none: see JournalEntry#askedWait. */
    long askedWaitMs = -1;
    Map<String, String> responseHeaders = Map.of();
    JournalEntry.Origin origin = JournalEntry.Origin.LOCAL;
    java.time.Duration upstreamLatency;
    /** The model call read from the body, and the answer the model chose for it: see JournalEntry#modelCall. */
    private ChatCall call;
    private Answer answer;

    private final BoundedJournal journal;
    private volatile boolean recorded;
    /** The answer went asynchronous (it waits on the server's timer): it journals itself, not the pipeline. */
    volatile boolean deferred;
    /** When the client finished sending the request: see {@link #elapsedMs()}. */
    private long sentNanos;

    /**
     * The exchange of a request as Jetty received it: its clock starts when the request's first bytes were read
     * (Jetty's begin time), not when a pool thread got round to it. Under a burst of requests the difference is
     * the wait in the server's queue, and it belongs to the answer: a 5 s {@code SLOW_RESPONSE} means 5 s after
     * the client sent its request, and the journal's durations and timeline count from there too.
     */
    static Exchange arrived(BoundedJournal journal, Request jettyRequest, IncomingRequest request) {
        long now = System.nanoTime();
        long begin = jettyRequest == null ? 0 : jettyRequest.getBeginNanoTime();
        long queued = begin == 0 ? 0 : Math.max(0, now - begin); // 0: a request Jetty did not time
        return new Exchange(journal, Instant.now().minusNanos(queued), now - queued, request);
    }

    /** Jetty's request under a servlet request: where its begin time is kept. */
    static Request jetty(HttpServletRequest req) {
        return ServletContextRequest.getServletContextRequest(req);
    }

    /**
     * Milliseconds since the client finished sending the request: since it arrived, or since the last byte of a
     * body that was still on its way then ({@link #sent()}). A client's read timeout starts there.
     */
    long elapsedMs() {
        return (System.nanoTime() - sentNanos) / 1_000_000;
    }

    /** The request's body ended only now, long after its headers arrived. */
    void sent() {
        sentNanos = System.nanoTime();
    }

    Exchange(BoundedJournal journal, Instant time, long arrivalNanos, IncomingRequest request) {
        this.journal = journal;
        this.sequence = journal.nextSequence();
        this.time = time;
        this.arrivalNanos = arrivalNanos;
        this.sentNanos = arrivalNanos;
        this.request = request;
    }

    void credential(String raw) {
        this.credential = raw;
        this.secrets = null;
        this.needles = null;
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
        if (!Secrets.mayHold(text, needles())) {
            return text; // what every header value, model and body of an ordinary request takes
        }
        String out = text;
        for (String secret : secrets()) {
            out = Secrets.scrub(out, secret);
        }
        return out;
    }

    /**
     * The credential, then the value (without its scheme) of each credential header, found once per request: a
     * journal entry scrubs every header value, the query, the body and the reason, and finding them again for each
     * walked the request's headers each time.
     */
    private List<String> secrets() {
        if (secrets == null) {
            List<String> found = new ArrayList<>();
            found.add(credential);
            for (Map.Entry<String, String> h : request.headers().entrySet()) {
                if (Secrets.isCredentialHeader(h.getKey())) {
                    String value = h.getValue().trim();
                    int space = value.indexOf(' ');
                    found.add(space > 0 ? value.substring(space + 1).trim() : value);
                }
            }
            secrets = found;
        }
        return secrets;
    }

    /** What scrubbing {@link #secrets()} looks for in a text (see {@link Secrets#needles}), found once. */
    private List<String> needles() {
        if (needles == null) {
            List<String> all = new ArrayList<>();
            for (String secret : secrets()) {
                all.addAll(Secrets.needles(secret));
            }
            needles = all;
        }
        return needles;
    }

    String keyMask() {
        return keyMask;
    }

    String keyFingerprint() {
        return keyFingerprint;
    }

    void call(ChatCall call) {
        this.call = call;
    }

    /** The answer the model chose for this call; returns it. */
    Answer answered(Answer answer) {
        this.answer = answer;
        return answer;
    }

    private String reason() {
        return note == null ? faultReason : faultReason == null ? note : faultReason + "; " + note;
    }

    void fault(Fault fault, String reason, String scenarioId) {
        this.fault = fault;
        this.faultReason = reason;
        this.scenarioId = scenarioId;
    }

    /**
     * The client closed the connection before the answer ended: the journal says so in the reason (and with
     * status 0 when not even the headers had gone out), whether the entry was already written or not.
     */
    synchronized void clientLeft(HttpServletResponse response) {
        String note = "client closed the connection after " + (System.nanoTime() - arrivalNanos) / 1_000_000
                + " ms, before the answer ended";
        faultReason = faultReason == null ? note : faultReason + "; " + note;
        if (!response.isCommitted()) {
            status = 0;
        }
        if (recorded) {
            journal.amend(toEntry());
        } else {
            record(response);
        }
    }

    /** Journals the exchange once, with the response headers set so far. */
    synchronized void record(HttpServletResponse response) {
        if (!recorded) {
            record(ProviderPipeline.responseHeaders(response));
        }
    }

    /** Journals the exchange once, with these response headers (names in lower case). */
    synchronized void record(Map<String, String> headers) {
        if (recorded) {
            return;
        }
        recorded = true;
        responseHeaders = headers;
        JournalEntry entry = toEntry();
        journal.record(entry);
        if (LOG.isDebugEnabled()) {
            LOG.debug("#{} {} {} -> {}{} key={} ({} ms)", entry.sequence(), entry.method(), entry.path(), entry.status(),
                    entry.fault() == null ? "" : " " + entry.fault() + " [" + entry.faultReason() + "]",
                    entry.apiKeyMask(), entry.duration().toMillis());
        }
    }

    JournalEntry toEntry() {
        // Masked values only go to SharedStrings, which lets entries share what repeats (names, values, paths).
        // Built immutable at once: the entry keeps an immutable map, and copying a mutable one was a second map.
        @SuppressWarnings("unchecked")
        Map.Entry<String, String>[] masked = new Map.Entry[request.headers().size()];
        int i = 0;
        for (Map.Entry<String, String> h : request.headers().entrySet()) {
            String name = h.getKey();
            masked[i++] = Map.entry(name, SharedStrings.share(
                    Secrets.isCredentialHeader(name) ? Secrets.maskHeaderValue(h.getValue()) : scrub(h.getValue())));
        }
        Map<String, String> headers = Map.ofEntries(masked);
        String body = scrub(formBody ? Secrets.maskParams(rawBody) : rawBody); // before cutting, so a key across the cut is still found
        body = body.length() > MAX_JOURNAL_BODY ? body.substring(0, MAX_JOURNAL_BODY) : body;
        return new JournalEntry(sequence, time, arrivalNanos, request.method(), SharedStrings.share(request.path()),
                scrub(Secrets.maskParams(request.query())), headers, body,
                SharedStrings.share(request.clientAddress()), provider, SharedStrings.share(scrub(model)), stream,
                SharedStrings.share(keyMask), SharedStrings.share(keyFingerprint), fault, scrub(reason()), scenarioId,
                status, responseHeaders, Duration.ofNanos(System.nanoTime() - arrivalNanos), origin, upstreamLatency,
                askedWaitMs < 0 ? null : Duration.ofMillis(askedWaitMs), replyId, alias, modelCall(),
                SharedStrings.share(tokenOwner));
    }

    private JournalEntry.ModelCall modelCall() {
        if (call == null) {
            return null;
        }
        return new JournalEntry.ModelCall(call.promptTokens(), call.reservedTokens(),
                answer == null ? 0 : answer.completionTokens(), answer == null ? List.of() : answer.toolCalls());
    }
}
