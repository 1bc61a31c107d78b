package dev.llmfault.junit;

import dev.llmfault.junit.internal.Attempts;
import dev.llmfault.junit.internal.RequestIds;
import dev.llmfault.junit.internal.Timeline;
import dev.llmfault.junit.internal.secrets.KnownSecrets;
import dev.llmfault.junit.internal.secrets.SecretScan;
import dev.llmfault.server.JournalEntry;
import org.apiguardian.api.API;
import org.assertj.core.api.AbstractAssert;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import static dev.llmfault.junit.internal.error.ShouldHaveLoggedEveryFailure.shouldHaveFailedRequests;
import static dev.llmfault.junit.internal.error.ShouldHaveLoggedEveryFailure.shouldHaveLoggedEveryFailure;
import static dev.llmfault.junit.internal.error.ShouldHaveLoggedKeyIdNotKey.shouldHaveLinesAboutRequests;
import static dev.llmfault.junit.internal.error.ShouldHaveLoggedKeyIdNotKey.shouldHaveLoggedKeyId;
import static dev.llmfault.junit.internal.error.ShouldNotContainSecrets.shouldNotContainSecrets;

/**
 * Assertions on what a client logged: no credential in any line, every failure logged with what a support
 * ticket needs, credentials named by their mask. Get one with {@link LlmFaultAssertions#assertThat(CapturedLogs)}.
 *
 * <pre>{@code
 * LlmFaultAssertions.assertThat(logs)
 *         .neverContainSecrets()
 *         .loggedEveryFailure()
 *         .loggedKeyIdNotKey();
 * }</pre>
 *
 * <p>The lines and the journal are read when each assertion runs. A failure lists what is wrong, the captured lines
 * with every credential masked, and the request timeline (server arrival times).
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public class CapturedLogsAssert extends AbstractAssert<CapturedLogsAssert, CapturedLogs> {
    private static final int SHOWN_LINES = 40;

    public CapturedLogsAssert(CapturedLogs actual) {
        super(actual, CapturedLogsAssert.class);
    }

    /**
     * No line holds a credential the test used or the server issued, whole or as a fragment, in plain text,
     * URL-encoded or Base64: the test's {@code @LlmApiKey}, the keys and client secrets of {@code @LlmCredentials}
     * and of the server's credential policy, every credential the client sent (access tokens, Zhipu JWTs), the
     * server's tokens, and the secrets named here (an AWS secret key, a session token).
     *
     * @param alsoSecret more secrets the test knows of, which the server never saw
     */
    public CapturedLogsAssert neverContainSecrets(String... alsoSecret) {
        isNotNull();
        KnownSecrets secrets = actual.secrets().withNamed(alsoSecret);
        List<String> findings = new ArrayList<>();
        List<CapturedLogs.Line> lines = actual.lines();
        for (int i = 0; i < lines.size(); i++) {
            CapturedLogs.Line line = lines.get(i);
            String text = line.message();
            for (SecretScan.Finding f : SecretScan.scan(text, secrets)) {
                findings.add("line " + (i + 1) + " (" + origin(line) + "): " + f.describe() + ":"
                        + System.lineSeparator() + "      " + excerpt(SecretScan.masked(text, List.of(f)), f));
            }
        }
        if (!findings.isEmpty()) {
            throwAssertionError(shouldNotContainSecrets("the captured logs", findings, timeline()));
        }
        return myself;
    }

    /**
     * Every failed request of the journal (an answer with a fault or a status of 400 or more) has a log line that
     * names its HTTP status and the provider's request id ({@code x-request-id}, {@code request-id},
     * {@code x-amzn-RequestId}...). A failure inside a 200 (a broken stream) needs its request id only; a request
     * answered with no HTTP answer at all (a reset connection) has neither and is not checked. Fails when no request
     * failed.
     */
    public CapturedLogsAssert loggedEveryFailure() {
        isNotNull();
        List<JournalEntry> failed = failures();
        if (failed.isEmpty()) {
            throwAssertionError(shouldHaveFailedRequests(timeline()));
        }
        List<CapturedLogs.Line> lines = actual.lines();
        List<String> missing = new ArrayList<>();
        for (JournalEntry e : failed) {
            Optional<String> id = RequestIds.of(e);
            boolean needsStatus = e.status() >= 400;
            boolean logged = lines.stream().anyMatch(l -> (id.isEmpty() || l.message().contains(id.get()))
                    && (!needsStatus || namesStatus(l.message(), e.status())));
            if (!logged) {
                missing.add(Attempts.label(e) + " -> " + e.status() + (e.fault() == null ? "" : " " + e.fault())
                        + ": " + (needsStatus ? "status " + e.status() : "")
                        + (needsStatus && id.isPresent() ? " and " : "") + id.map(i -> "request id " + i).orElse(""));
            }
        }
        if (!missing.isEmpty()) {
            throwAssertionError(shouldHaveLoggedEveryFailure(missing, shownLines(), timeline()));
        }
        return myself;
    }

    /**
     * Each line that names a request (by its request id) identifies the request's credential by its mask
     * ({@code sk-ab***wxyz}, {@code ...wxyz}, {@code ****wxyz}) or fingerprint (8 or more leading hex digits of its
     * SHA-256, as the journal keeps it), and no line holds a credential ({@link #neverContainSecrets(String...)}).
     * Fails when no line names a request.
     */
    public CapturedLogsAssert loggedKeyIdNotKey() {
        isNotNull();
        List<CapturedLogs.Line> lines = actual.lines();
        List<String> violations = new ArrayList<>();
        boolean anyAboutRequest = false;
        for (JournalEntry e : entries()) {
            Optional<String> id = RequestIds.of(e);
            if (id.isEmpty() || e.apiKeyMask() == null) {
                continue;
            }
            for (int i = 0; i < lines.size(); i++) {
                String text = lines.get(i).message();
                if (!text.contains(id.get())) {
                    continue;
                }
                anyAboutRequest = true;
                if (!namesKey(text, e)) {
                    violations.add("line " + (i + 1) + " names " + Attempts.label(e) + " (request id " + id.get()
                            + ") but not its credential " + e.apiKeyMask() + ": " + excerpt(text, null));
                }
            }
        }
        if (!anyAboutRequest) {
            throwAssertionError(shouldHaveLinesAboutRequests(shownLines(), timeline()));
        }
        if (!violations.isEmpty()) {
            throwAssertionError(shouldHaveLoggedKeyId(violations, shownLines(), timeline()));
        }
        return neverContainSecrets();
    }

    // ---- helpers ----

    private List<JournalEntry> entries() {
        return actual.journal().entries();
    }

    private List<JournalEntry> failures() {
        return entries().stream().filter(e -> e.status() != 0 && (e.fault() != null || e.status() >= 400)).toList();
    }

    private static boolean namesStatus(String text, int status) {
        return Pattern.compile("(?<!\\d)" + status + "(?!\\d)").matcher(text).find();
    }

    /** The journal's mask, the last 4 characters after {@code ***}, {@code ...} or {@code …}, or a fingerprint prefix. */
    private static boolean namesKey(String text, JournalEntry e) {
        String mask = e.apiKeyMask();
        if (text.contains(mask)) {
            return true;
        }
        int stars = mask.indexOf("***");
        if (stars >= 0 && mask.length() - stars - 3 >= 2) {
            String last = mask.substring(stars + 3);
            if (Pattern.compile("(\\*{2,}|\\.{3}|…)" + Pattern.quote(last) + "(?![A-Za-z0-9])").matcher(text).find()) {
                return true;
            }
        }
        String fingerprint = e.apiKeyFingerprint();
        String lower = text.toLowerCase(Locale.ROOT);
        var hex = Pattern.compile("[0-9a-f]{8,64}").matcher(lower);
        while (hex.find()) {
            if (fingerprint != null && fingerprint.startsWith(hex.group())) {
                return true;
            }
        }
        return false;
    }

    private Timeline timeline() {
        try {
            return Timeline.of(entries());
        } catch (RuntimeException e) {
            return Timeline.of(List.of());
        }
    }

    private static String origin(CapturedLogs.Line l) {
        return l.source() + " " + l.level() + " " + l.logger() + ", " + CapturedLogs.Line.TIME.format(l.time())
                + " [" + l.thread() + "]";
    }

    /** The part of a (masked) line around a finding, on one line, at most 160 characters. */
    static String excerpt(String text, SecretScan.Finding near) {
        String flat = text.replace("\r", "").replace("\n", " | ");
        if (flat.length() <= 160) {
            return flat;
        }
        int at = Math.max(0, flat.indexOf("[secret "));
        int from = near == null ? 0 : Math.max(0, at - 60);
        int to = Math.min(flat.length(), from + 160);
        return (from > 0 ? "..." : "") + flat.substring(from, to) + (to < flat.length() ? "..." : "");
    }

    /** The captured lines for a message, every credential masked, at most {@value #SHOWN_LINES}. */
    private String shownLines() {
        return actual.masked(SHOWN_LINES);
    }
}
