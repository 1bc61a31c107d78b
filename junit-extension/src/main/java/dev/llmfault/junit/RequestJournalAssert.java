package dev.llmfault.junit;

import dev.llmfault.junit.internal.Attempts;
import dev.llmfault.junit.internal.ConversationDiff;
import dev.llmfault.junit.internal.ModelCalls;
import dev.llmfault.junit.internal.JournalSnapshot;
import dev.llmfault.junit.internal.Timeline;
import dev.llmfault.server.Conversation;
import dev.llmfault.server.Credentials;
import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.JournalQuery;
import dev.llmfault.server.Provider;
import dev.llmfault.server.RequestJournal;
import org.apiguardian.api.API;
import org.assertj.core.api.AbstractAssert;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.llmfault.junit.internal.error.ShouldHaveAttempts.shouldHaveAttempts;
import static dev.llmfault.junit.internal.error.ShouldHaveAttempts.shouldHaveOneLogicalRequest;
import static dev.llmfault.junit.internal.error.ShouldHaveBackedOffExponentially.shouldHaveBackedOffExponentially;
import static dev.llmfault.junit.internal.error.ShouldHaveBackedOffExponentially.shouldHaveEnoughAttempts;
import static dev.llmfault.junit.internal.error.ShouldHaveCheckedCredentialsFirst.shouldHaveCheckedCredentialsFirst;
import static dev.llmfault.junit.internal.error.ShouldHaveGivenUpAfter.shouldHaveGivenUpAfter;
import static dev.llmfault.junit.internal.error.ShouldHaveRefreshedTokenBeforeRetrying.shouldHaveMetExpiredToken;
import static dev.llmfault.junit.internal.error.ShouldHaveRefreshedTokenBeforeRetrying.shouldHaveRefreshedTokenBeforeRetrying;
import static dev.llmfault.junit.internal.error.ShouldHaveRequestCount.shouldHaveNoRequests;
import static dev.llmfault.junit.internal.error.ShouldHaveRequestCount.shouldHaveRequestCount;
import static dev.llmfault.junit.internal.error.ShouldHaveRequests.shouldHaveRequests;
import static dev.llmfault.junit.internal.error.ShouldHaveRespectedRetryAfter.shouldHaveHadRetryHint;
import static dev.llmfault.junit.internal.error.ShouldHaveRespectedRetryAfter.shouldHaveRespectedRetryAfter;
import static dev.llmfault.junit.internal.error.ShouldHaveResumedAfterToolCall.shouldHaveMetToolCall;
import static dev.llmfault.junit.internal.error.ShouldHaveResumedAfterToolCall.shouldHaveResumedAfterToolCall;
import static dev.llmfault.junit.internal.error.ShouldHaveResumedAfterToolCall.shouldHaveSentToolResultFor;
import static dev.llmfault.junit.internal.error.ShouldHaveRetriedTheSameRequest.shouldHaveRetriedAFailedCall;
import static dev.llmfault.junit.internal.error.ShouldHaveRetriedTheSameRequest.shouldHaveRetriedTheSameRequest;
import static dev.llmfault.junit.internal.error.ShouldHaveStayedWithinTokenBudget.shouldHaveCountedTokens;
import static dev.llmfault.junit.internal.error.ShouldHaveStayedWithinTokenBudget.shouldHaveStayedWithinTokenBudget;
import static dev.llmfault.junit.internal.error.ShouldNotHaveRepeatedCompletedToolCalls.shouldHaveMetFaultAfterToolResult;
import static dev.llmfault.junit.internal.error.ShouldNotHaveRepeatedCompletedToolCalls.shouldNotHaveRepeatedCompletedToolCalls;
import static dev.llmfault.junit.internal.error.ShouldHaveSentHeader.shouldHaveSentHeader;
import static dev.llmfault.junit.internal.error.ShouldHaveUsedApiVersion.shouldHaveUsedApiVersion;
import static dev.llmfault.junit.internal.error.ShouldHaveWaitedAtLeast.shouldHaveRetried;
import static dev.llmfault.junit.internal.error.ShouldHaveWaitedAtLeast.shouldHaveWaitedAtLeast;
import static dev.llmfault.junit.internal.error.ShouldNotHaveRetried.shouldNotHaveRetried;
import static dev.llmfault.junit.internal.error.ShouldNotHaveRetriedNonRetryableFaults.shouldHaveMetNonRetryableFault;
import static dev.llmfault.junit.internal.error.ShouldNotHaveRetriedNonRetryableFaults.shouldNotHaveRetriedNonRetryableFaults;
import static dev.llmfault.junit.internal.error.ShouldNotHaveSentCredentialsInQuery.shouldNotHaveSentCredentialsInQuery;

/**
 * Assertions on how a client behaved, read from the fake server's request journal. Get one with
 * {@link LlmFaultAssertions#assertThat(RequestJournal)}; works in soft assertions too
 * ({@link LlmFaultSoftAssertions}).
 *
 * <pre>{@code
 * LlmFaultAssertions.assertThat(server.journal())
 *         .hasRequestCount(3)
 *         .respectedRetryAfter()
 *         .backedOffExponentially()
 *         .didNotRetryNonRetryableFaults();
 * }</pre>
 *
 * <p>The journal is read once, when the first assertion runs; later ones check the same snapshot. The
 * <em>attempts</em> of a logical request are the requests with the same method, path and body (retries), and
 * requests to a token endpoint (paths ending in {@code /token}) are not attempts. Every time comes from the
 * server's arrival times ({@link JournalEntry#monotonicNanos()}), never from the client. A failure shows what
 * was expected, what went wrong and the request timeline.
 */
@API(status = API.Status.STABLE, since = "0.1")
public class RequestJournalAssert extends AbstractAssert<RequestJournalAssert, RequestJournal> {
    private static final Pattern PATH_VERSION = Pattern.compile("/(v\\d+(?:beta\\d*|alpha\\d*)?)(?:/|$)");
    private List<JournalEntry> snapshot;

    public RequestJournalAssert(RequestJournal actual) {
        super(actual, RequestJournalAssert.class);
    }

    /**
     * A new assertion on the requests the query matches, leaving this one as it was (AssertJ's contract).
     * <pre>{@code
     * var journal = LlmFaultAssertions.assertThat(server.journal());
     * journal.filteredOn(JournalQuery.all().status(429)).hasRequestCount(2);
     * journal.hasRequestCount(3); // still every request
     * }</pre>
     */
    public RequestJournalAssert filteredOn(JournalQuery query) {
        Objects.requireNonNull(query, "query");
        RequestJournalAssert filtered = new RequestJournalAssert(
                new JournalSnapshot(entries().stream().filter(query).toList()));
        return info.description() == null ? filtered : filtered.describedAs(info.description());
    }

    /** The server received exactly {@code expected} requests (token requests included). */
    public RequestJournalAssert hasRequestCount(int expected) {
        List<JournalEntry> all = entries();
        if (all.size() != expected) {
            throwAssertionError(shouldHaveRequestCount(expected, all.size(), timeline()));
        }
        return myself;
    }

    public RequestJournalAssert hasNoRequests() {
        List<JournalEntry> all = entries();
        if (!all.isEmpty()) {
            throwAssertionError(shouldHaveNoRequests(all.size(), timeline()));
        }
        return myself;
    }

    /** The journal holds one logical request (same method, path and body), sent {@code expected} times. */
    public RequestJournalAssert hasAttempts(int expected) {
        List<JournalEntry> attempts = onlyLogicalRequest(expected);
        if (attempts != null && attempts.size() != expected) {
            throwAssertionError(shouldHaveAttempts(expected, attempts.size(), timeline()));
        }
        return myself;
    }

    /**
     * No retry came earlier than the retry hint ({@code retry-after-ms}, else {@code Retry-After}) of the answer
     * before it, measured between the arrivals of the two requests. Fails when no answer carried a hint.
     */
    public RequestJournalAssert respectedRetryAfter() {
        return checkRetryAfter(true);
    }

    /**
     * Like {@link #respectedRetryAfter()}, but passes when no answer carried a hint: for a matrix whose
     * faults only sometimes give one.
     * <pre>{@code LlmFaultAssertions.assertThat(journal).respectedRetryAfterWhenGiven();}</pre>
     */
    public RequestJournalAssert respectedRetryAfterWhenGiven() {
        return checkRetryAfter(false);
    }

    private RequestJournalAssert checkRetryAfter(boolean hintRequired) {
        List<String> violations = new ArrayList<>();
        boolean hinted = false;
        for (List<JournalEntry> attempts : Attempts.byLogicalRequest(entries())) {
            for (int i = 0; i < attempts.size(); i++) {
                JournalEntry answered = attempts.get(i);
                Optional<Duration> hint = answered.retryAfter();
                if (hint.isEmpty()) {
                    continue;
                }
                hinted = true;
                if (i + 1 < attempts.size()) {
                    JournalEntry retry = attempts.get(i + 1);
                    Duration gap = Attempts.gap(answered, retry);
                    if (gap.compareTo(hint.get()) < 0) {
                        violations.add("#" + retry.sequence() + " came " + Attempts.ms(gap) + " after #"
                                + answered.sequence() + ", whose answer (" + answer(answered) + ") asked to wait "
                                + Attempts.ms(hint.get()));
                    }
                }
            }
        }
        if (!hinted && hintRequired) {
            throwAssertionError(shouldHaveHadRetryHint(timeline()));
        }
        if (!violations.isEmpty()) {
            throwAssertionError(shouldHaveRespectedRetryAfter(violations, timeline()));
        }
        return myself;
    }

    /** {@link #backedOffExponentially(double, double)} with factor 2 and 25% jitter. */
    public RequestJournalAssert backedOffExponentially() {
        return backedOffExponentially(2.0, 0.25);
    }

    /**
     * Each wait between attempts of a request is {@code factor} times the wait before it, within the jitter:
     * the ratio of two consecutive waits lies in {@code [factor * (1 - jitter), factor / (1 - jitter)]}, which
     * admits clients that take up to {@code jitter} off each wait at random. Needs a request attempted at least
     * three times.
     *
     * @param factor greater than 1
     * @param jitter from 0 (exact) to below 1
     */
    public RequestJournalAssert backedOffExponentially(double factor, double jitter) {
        if (!(factor > 1.0)) {
            throw new IllegalArgumentException("factor: invalid value " + factor + ", expected a number greater than 1");
        }
        if (!(jitter >= 0.0 && jitter < 1.0)) {
            throw new IllegalArgumentException("jitter: invalid value " + jitter + ", expected a number from 0 to below 1");
        }
        double low = factor * (1 - jitter);
        double high = factor / (1 - jitter);
        List<String> violations = new ArrayList<>();
        boolean enough = false;
        for (List<JournalEntry> attempts : Attempts.byLogicalRequest(entries())) {
            if (attempts.size() < 3) {
                continue;
            }
            enough = true;
            for (int i = 2; i < attempts.size(); i++) {
                Duration before = Attempts.gap(attempts.get(i - 2), attempts.get(i - 1));
                Duration after = Attempts.gap(attempts.get(i - 1), attempts.get(i));
                double ratio = before.isZero() ? Double.POSITIVE_INFINITY : (double) after.toNanos() / before.toNanos();
                if (ratio < low || ratio > high) {
                    violations.add("#" + attempts.get(i).sequence() + " came " + Attempts.ms(after) + " after #"
                            + attempts.get(i - 1).sequence() + ", which came " + Attempts.ms(before) + " after #"
                            + attempts.get(i - 2).sequence() + String.format(Locale.ROOT, ": x%.2f", ratio));
                }
            }
        }
        if (!enough) {
            throwAssertionError(shouldHaveEnoughAttempts(timeline()));
        }
        if (!violations.isEmpty()) {
            throwAssertionError(shouldHaveBackedOffExponentially(factor, jitter, violations, timeline()));
        }
        return myself;
    }

    /** Every retry came at least {@code minimum} after the attempt before it. Fails when nothing was retried. */
    public RequestJournalAssert waitedAtLeast(Duration minimum) {
        Objects.requireNonNull(minimum, "minimum");
        List<String> violations = new ArrayList<>();
        boolean retried = false;
        for (List<JournalEntry> attempts : Attempts.byLogicalRequest(entries())) {
            for (int i = 1; i < attempts.size(); i++) {
                retried = true;
                Duration gap = Attempts.gap(attempts.get(i - 1), attempts.get(i));
                if (gap.compareTo(minimum) < 0) {
                    violations.add("#" + attempts.get(i).sequence() + " came " + Attempts.ms(gap) + " after #"
                            + attempts.get(i - 1).sequence());
                }
            }
        }
        if (!retried) {
            throwAssertionError(shouldHaveRetried(Attempts.ms(minimum), timeline()));
        }
        if (!violations.isEmpty()) {
            throwAssertionError(shouldHaveWaitedAtLeast(Attempts.ms(minimum), violations, timeline()));
        }
        return myself;
    }

    /** No request was sent twice. */
    public RequestJournalAssert didNotRetry() {
        List<String> violations = new ArrayList<>();
        for (List<JournalEntry> attempts : Attempts.byLogicalRequest(entries())) {
            if (attempts.size() > 1) {
                violations.add(Attempts.label(attempts.get(0)) + " was sent " + attempts.size() + " times: "
                        + sequences(attempts) + " (first answer: " + answer(attempts.get(0)) + ")");
            }
        }
        if (!violations.isEmpty()) {
            throwAssertionError(shouldNotHaveRetried(violations, timeline()));
        }
        return myself;
    }

    /**
     * No answer whose fault must not be retried (the catalogue's {@link Fault.Retry#NEVER}) was retried, and an
     * {@link Fault.Retry#AFTER_REFRESH} fault was retried only with another credential. Fails when no such
     * fault was answered at all.
     */
    public RequestJournalAssert didNotRetryNonRetryableFaults() {
        List<String> violations = new ArrayList<>();
        boolean met = false;
        for (List<JournalEntry> attempts : Attempts.byLogicalRequest(entries())) {
            for (int i = 0; i < attempts.size(); i++) {
                JournalEntry a = attempts.get(i);
                if (a.fault() == null || (a.fault().retry() != Fault.Retry.NEVER
                        && a.fault().retry() != Fault.Retry.AFTER_REFRESH)) {
                    continue;
                }
                met = true;
                if (i + 1 == attempts.size()) {
                    continue;
                }
                JournalEntry retry = attempts.get(i + 1);
                if (a.fault().retry() == Fault.Retry.NEVER) {
                    violations.add("#" + retry.sequence() + " retried #" + a.sequence() + ", whose answer was "
                            + answer(a) + ": never retry " + a.fault());
                } else if (Objects.equals(a.apiKeyFingerprint(), retry.apiKeyFingerprint())) {
                    violations.add("#" + retry.sequence() + " retried #" + a.sequence() + " (" + answer(a)
                            + ") with the same credential " + retry.apiKeyMask() + ": refresh it first");
                }
            }
        }
        if (!met) {
            throwAssertionError(shouldHaveMetNonRetryableFault(timeline()));
        }
        if (!violations.isEmpty()) {
            throwAssertionError(shouldNotHaveRetriedNonRetryableFaults(violations, timeline()));
        }
        return myself;
    }

    /** The journal holds one logical request, attempted {@code attempts} times, each answered with a failure. */
    public RequestJournalAssert gaveUpAfter(int attempts) {
        List<JournalEntry> sent = onlyLogicalRequest(attempts);
        if (sent == null) {
            return myself;
        }
        List<JournalEntry> succeeded = sent.stream().filter(e -> !failed(e)).toList();
        if (!succeeded.isEmpty()) {
            throwAssertionError(shouldHaveGivenUpAfter(attempts, "attempt " + sequences(succeeded) + " succeeded",
                    timeline()));
        } else if (sent.size() != attempts) {
            throwAssertionError(shouldHaveGivenUpAfter(attempts, "it made " + sent.size() + " failed attempt(s): "
                    + sequences(sent), timeline()));
        }
        return myself;
    }

    /**
     * After each {@link Fault#EXPIRED_TOKEN} answer the client asked for a token (a request to a path ending in
     * {@code /token}) and then retried with a different token. Fails when no request got EXPIRED_TOKEN.
     *
     * <p>In a test scoped to its key ({@link LlmApiKey}: parallel tests on one server, remote mode), the client
     * sends the test's key as its OAuth client secret to the server's {@code POST /oauth/token}: the token
     * requests and every call bearing a token they issued then count for the key
     * ({@link JournalEntry#keyScope()}), so the test's journal holds the whole exchange.
     * <pre>{@code
     * @Test
     * @LlmFaultScenario(fault = Fault.EXPIRED_TOKEN, times = 1)
     * void refreshes(FakeLlmServer server, RequestJournal journal, @LlmApiKey String apiKey) {
     *     var tokens = new MyOAuthClient(URI.create(server.url() + "/oauth/token"), "my-app", apiKey);
     *     new MyClient(server.baseUrl(Provider.OPENAI), tokens).ask("hi");
     *     LlmFaultAssertions.assertThat(journal).refreshedTokenBeforeRetrying();
     * }
     * }</pre>
     */
    public RequestJournalAssert refreshedTokenBeforeRetrying() {
        List<JournalEntry> all = entries();
        List<String> violations = new ArrayList<>();
        boolean met = false;
        for (List<JournalEntry> attempts : Attempts.byLogicalRequest(all)) {
            for (int i = 0; i < attempts.size(); i++) {
                JournalEntry expired = attempts.get(i);
                if (expired.fault() != Fault.EXPIRED_TOKEN) {
                    continue;
                }
                met = true;
                if (i + 1 == attempts.size()) {
                    violations.add("#" + expired.sequence() + " got " + answer(expired) + " and was never retried");
                    continue;
                }
                JournalEntry retry = attempts.get(i + 1);
                boolean tokenRequested = all.stream().anyMatch(e -> Attempts.isTokenRequest(e)
                        && e.sequence() > expired.sequence() && e.sequence() < retry.sequence());
                if (!tokenRequested) {
                    violations.add("#" + retry.sequence() + " retried #" + expired.sequence()
                            + " without a token request in between");
                }
                if (Objects.equals(expired.apiKeyFingerprint(), retry.apiKeyFingerprint())) {
                    violations.add("#" + retry.sequence() + " retried #" + expired.sequence()
                            + " with the same expired token " + retry.apiKeyMask());
                }
            }
        }
        if (!met) {
            throwAssertionError(shouldHaveMetExpiredToken(timeline()));
        }
        if (!violations.isEmpty()) {
            throwAssertionError(shouldHaveRefreshedTokenBeforeRetrying(violations, timeline()));
        }
        return myself;
    }

    /**
     * Every request used this API version: the {@code anthropic-version} header, else the {@code api-version}
     * query parameter, else the version segment of the path ({@code v1}, {@code v4}).
     */
    public RequestJournalAssert usedApiVersion(String version) {
        Objects.requireNonNull(version, "version");
        String expected = version.startsWith("/") ? version.substring(1) : version;
        List<JournalEntry> requests = requestsToCheck("the API version");
        List<String> violations = new ArrayList<>();
        for (JournalEntry e : requests) {
            String used = apiVersion(e);
            if (!expected.equals(used)) {
                violations.add(Attempts.label(e) + " used " + (used == null ? "no version" : used));
            }
        }
        if (!violations.isEmpty()) {
            throwAssertionError(shouldHaveUsedApiVersion(expected, violations, timeline()));
        }
        return myself;
    }

    /** Every request (token requests aside) carried the header. */
    public RequestJournalAssert sentHeader(String name) {
        return checkHeader(name, null);
    }

    /** Every request (token requests aside) carried the header with exactly this value (credentials are masked). */
    public RequestJournalAssert sentHeader(String name, String value) {
        return checkHeader(name, Objects.requireNonNull(value, "value"));
    }

    /**
     * No request carried a credential in its query string ({@code key=}, {@code api_key=}, a JWT...), where query
     * strings end up in proxy and server logs. The one documented exception is not a violation: Gemini's
     * {@code ?key=} (its REST reference authenticates that way), so a Gemini call with {@code key=} passes, and one
     * with, say, {@code access_token=} still fails.
     */
    public RequestJournalAssert neverSentCredentialsInQuery() {
        List<String> violations = new ArrayList<>();
        for (JournalEntry e : entries()) {
            if (e.query() != null && carriesCredential(e.query(), DOCUMENTED_QUERY_KEYS.get(e.provider()))) {
                violations.add(Attempts.label(e) + "?" + e.query());
            }
        }
        if (!violations.isEmpty()) {
            throwAssertionError(shouldNotHaveSentCredentialsInQuery(violations, timeline()));
        }
        return myself;
    }

    /**
     * The client checked its credentials before its heavy work: the first request (token requests aside) was a
     * cheap one (a GET such as the models list or a health endpoint, or a token count), no heavy request came while
     * the latest check had failed, and after a check refused the credential (401, 403, or a credential fault) no
     * heavy request came at all.
     * <pre>{@code LlmFaultAssertions.assertThat(journal).checkedCredentialsFirst();}</pre>
     */
    public RequestJournalAssert checkedCredentialsFirst() {
        List<JournalEntry> requests = requestsToCheck("a credential check");
        List<String> violations = new ArrayList<>();
        JournalEntry first = requests.get(0);
        if (!isCheck(first)) {
            violations.add("the first request was the heavy " + Attempts.label(first) + " (" + answer(first)
                    + "): no cheap check (GET .../models, a token count) came before it");
        }
        JournalEntry lastCheck = null;
        JournalEntry refused = null;
        for (JournalEntry e : requests) {
            if (isCheck(e)) {
                lastCheck = e;
                if (refusedCredential(e) && refused == null) {
                    refused = e;
                }
                continue;
            }
            if (refused != null) {
                violations.add(Attempts.label(e) + " was sent after the check " + Attempts.label(refused)
                        + " refused the credential (" + answer(refused) + "): stop there");
                break;
            }
            if (lastCheck != null && failed(lastCheck)) {
                violations.add(Attempts.label(e) + " was sent although the latest check " + Attempts.label(lastCheck)
                        + " failed (" + answer(lastCheck) + ")");
                break;
            }
        }
        if (!violations.isEmpty()) {
            throwAssertionError(shouldHaveCheckedCredentialsFirst(violations, timeline()));
        }
        return myself;
    }

    // ---- agents: conversations, tool calls, tokens (read through each provider's dialect, never byte for byte) ----

    /**
     * Every retry re-sent the same conversation as the attempt it repeats: no message lost, duplicated or changed,
     * the same tool calls and tool results, the same offered tools and output schema. Conversations are compared by
     * meaning through each provider's reading of its own shape ({@link JournalEntry#conversation()}), so key order,
     * white space and tool call ids a client renames consistently do not count. A <em>retry</em> is the next model
     * call to the same provider and path after one that failed (a fault, an error status, no answer); narrow with
     * {@link #filteredOn} when the test sends other calls after a failure it does not retry. Fails when nothing was
     * retried.
     * <pre>{@code LlmFaultAssertions.assertThat(journal).retriedTheSameRequest();}</pre>
     */
    public RequestJournalAssert retriedTheSameRequest() {
        List<ModelCalls.Call> calls = ModelCalls.of(entries());
        List<String> violations = new ArrayList<>();
        boolean retried = false;
        for (int i = 0; i < calls.size(); i++) {
            ModelCalls.Call attempt = calls.get(i);
            ModelCalls.Call retry = attempt.failed() ? ModelCalls.next(calls, i) : null;
            if (retry == null) {
                continue;
            }
            retried = true;
            ConversationDiff.first(attempt.conversation(), retry.conversation()).ifPresent(difference ->
                    violations.add("#" + retry.sequence() + " retried " + attempt.label() + " but " + difference));
        }
        if (!retried) {
            throwAssertionError(shouldHaveRetriedAFailedCall(timeline()));
        }
        if (!violations.isEmpty()) {
            throwAssertionError(shouldHaveRetriedTheSameRequest(violations, timeline()));
        }
        return myself;
    }

    /**
     * After every answer with tool calls, the client went on: its next model call (same provider and path) carried a
     * result for each call the model made. The calls are the ones the server journaled with its answer
     * ({@link JournalEntry#modelCall()}: the journal keeps no answer body), matched by id, else (providers whose
     * calls carry no id) by tool name and arguments. An answer a fault cut short asked for nothing. Fails when the
     * model called no tool.
     * <pre>{@code
     * @LlmReply(sequence = {@LlmReply.Turn(toolCalls = @LlmReply.ToolCall(name = "get_weather")),
     *                      @LlmReply.Turn(text = "18°C")})
     * ...
     * LlmFaultAssertions.assertThat(journal).resumedAfterToolCall();
     * }</pre>
     */
    public RequestJournalAssert resumedAfterToolCall() {
        List<ModelCalls.Call> calls = ModelCalls.of(entries());
        List<String> violations = new ArrayList<>();
        boolean met = false;
        for (int i = 0; i < calls.size(); i++) {
            ModelCalls.Call asked = calls.get(i);
            List<Conversation.ToolCall> toolCalls = asked.answeredToolCalls();
            if (toolCalls.isEmpty()) {
                continue;
            }
            met = true;
            ModelCalls.Call next = ModelCalls.next(calls, i);
            if (next == null) {
                violations.add("#" + asked.sequence() + "'s answer called " + calls(toolCalls)
                        + ", but no model call followed it: the tool loop stopped there");
                continue;
            }
            List<String> missing = toolCalls.stream()
                    .filter(c -> ModelCalls.resultFor(next.conversation(), c).isEmpty())
                    .map(c -> ModelCalls.describe(c) + " [" + c.id() + "]").toList();
            if (!missing.isEmpty()) {
                violations.add("#" + next.sequence() + " carried no result for " + String.join(", ", missing)
                        + ", which #" + asked.sequence() + "'s answer asked for (it carried results for: "
                        + results(next.conversation()) + ")");
            }
        }
        if (!met) {
            throwAssertionError(shouldHaveMetToolCall(timeline()));
        }
        if (!violations.isEmpty()) {
            throwAssertionError(shouldHaveResumedAfterToolCall(violations, timeline()));
        }
        return myself;
    }

    /**
     * A model call carried a result for the tool call with this id; when the journal knows the answer that made the
     * call, a model call after it. For providers whose calls carry no id (Gemini, Ollama) the id is the tool's name
     * ({@code get_weather}, then {@code get_weather_2}), as {@link Conversation} names them.
     * <pre>{@code LlmFaultAssertions.assertThat(journal).sentToolResultFor("call_1");}</pre>
     */
    public RequestJournalAssert sentToolResultFor(String callId) {
        Objects.requireNonNull(callId, "callId");
        List<ModelCalls.Call> calls = ModelCalls.of(entries());
        long askedAt = 0;
        String asked = "";
        for (ModelCalls.Call c : calls) {
            for (Conversation.ToolCall t : c.answeredToolCalls()) {
                if (callId.equals(t.id()) && askedAt == 0) {
                    askedAt = c.sequence();
                    asked = " (" + ModelCalls.describe(t) + ", asked by #" + c.sequence() + "'s answer)";
                }
            }
        }
        List<String> sent = new ArrayList<>();
        for (ModelCalls.Call c : calls) {
            if (c.sequence() > askedAt && c.conversation().toolResult(callId).isPresent()) {
                return myself;
            }
            sent.add("#" + c.sequence() + ": " + results(c.conversation()));
        }
        throwAssertionError(shouldHaveSentToolResultFor(callId, asked, sent, timeline()));
        return myself;
    }

    /**
     * A tool call completed before a fault is not asked for again after it: once a model call carried a tool's
     * result and a fault followed, every later model call still carries that result (same tool and arguments),
     * exactly once. A client that rebuilds its conversation from an earlier turn after a fault fails: the model asks
     * for the tool again and the tool runs twice (sends a mail twice, books twice). Checks one agent conversation:
     * narrow with {@link #filteredOn} when the test holds others. Fails when no fault came after a tool result.
     * <pre>{@code LlmFaultAssertions.assertThat(journal).didNotRepeatCompletedToolCalls();}</pre>
     */
    public RequestJournalAssert didNotRepeatCompletedToolCalls() {
        List<ModelCalls.Call> calls = ModelCalls.of(entries());
        Map<Conversation.ToolCall, Long> completed = new LinkedHashMap<>(); // the first of each (tool, arguments)
        List<String> violations = new ArrayList<>();
        List<Conversation.ToolCall> reported = new ArrayList<>();
        long lastFault = 0;
        String lastFaultLabel = "";
        boolean met = false;
        for (ModelCalls.Call c : calls) {
            for (Map.Entry<Conversation.ToolCall, Long> done : completed.entrySet()) {
                Conversation.ToolCall call = done.getKey();
                if (lastFault < done.getValue() || reported.stream().anyMatch(r -> ModelCalls.sameCall(r, call))) {
                    continue; // no fault since its result was sent, or already reported
                }
                met = true;
                long results = ModelCalls.completed(c.conversation()).stream()
                        .filter(t -> ModelCalls.sameCall(t, call)).count();
                String what = ModelCalls.describe(call) + " (result first sent in #" + done.getValue() + ")";
                if (results == 0) {
                    boolean askedAgain = c.answeredToolCalls().stream().anyMatch(t -> ModelCalls.sameCall(t, call));
                    violations.add("#" + c.sequence() + " came after the fault at " + lastFaultLabel
                            + " without the result of " + what + (askedAgain
                            ? ": the model asked for the tool again" : ": the model will ask for the tool again"));
                    reported.add(call);
                } else if (results > 1) {
                    violations.add("#" + c.sequence() + " came after the fault at " + lastFaultLabel + " with "
                            + results + " results of " + what + ": the tool ran again");
                    reported.add(call);
                }
            }
            for (Conversation.ToolCall t : ModelCalls.completed(c.conversation())) {
                if (completed.keySet().stream().noneMatch(k -> ModelCalls.sameCall(k, t))) {
                    completed.put(t, c.sequence());
                }
            }
            if (c.failed()) {
                lastFault = c.sequence();
                lastFaultLabel = c.label();
            }
        }
        if (!met) {
            throwAssertionError(shouldHaveMetFaultAfterToolResult(timeline()));
        }
        if (!violations.isEmpty()) {
            throwAssertionError(shouldNotHaveRepeatedCompletedToolCalls(violations, timeline()));
        }
        return myself;
    }

    /**
     * The model calls spent at most {@code maxTokens} tokens in all: for every model call the server read, its
     * prompt tokens plus the tokens of the answer the model chose ({@link JournalEntry.ModelCall}), retries and
     * failed calls included (a retry re-sends its whole prompt). The counts are the server's own estimates, the
     * ones its answers report as usage; a request refused before it was read (validation, credentials) counts 0.
     * The failure names the call that crossed the budget and lists every call's count.
     * <pre>{@code LlmFaultAssertions.assertThat(journal).stayedWithinTokenBudget(2_000);}</pre>
     *
     * @param maxTokens the budget, 0 or more
     */
    public RequestJournalAssert stayedWithinTokenBudget(long maxTokens) {
        if (maxTokens < 0) {
            throw new IllegalArgumentException("maxTokens: invalid value " + maxTokens + ", expected 0 or more");
        }
        List<String> lines = new ArrayList<>();
        List<String> violations = new ArrayList<>();
        long spent = 0;
        for (ModelCalls.Call c : ModelCalls.of(entries())) {
            JournalEntry.ModelCall m = c.entry().modelCall();
            if (m == null) {
                continue;
            }
            long before = spent;
            spent += (long) m.promptTokens() + m.completionTokens();
            lines.add(String.format(Locale.ROOT, "  #%d  prompt %d + answer %d = %d, total %d%s", c.sequence(),
                    m.promptTokens(), m.completionTokens(), m.promptTokens() + m.completionTokens(), spent,
                    c.failed() ? "  (" + ModelCalls.answer(c.entry()) + ")" : ""));
            if (before <= maxTokens && spent > maxTokens) {
                violations.add("#" + c.sequence() + " took the total from " + before + " to " + spent
                        + " tokens, over the budget of " + maxTokens);
            }
        }
        if (lines.isEmpty()) {
            throwAssertionError(shouldHaveCountedTokens(timeline()));
        }
        if (!violations.isEmpty()) {
            throwAssertionError(shouldHaveStayedWithinTokenBudget(maxTokens, spent, violations, lines, timeline()));
        }
        return myself;
    }

    private static String calls(List<Conversation.ToolCall> calls) {
        return String.join(", ", calls.stream().map(c -> ModelCalls.describe(c) + " [" + c.id() + "]").toList());
    }

    /** The ids of the tool results a conversation carries, or {@code none}. */
    private static String results(Conversation c) {
        List<String> ids = c.messages().stream().filter(m -> m.role() == Conversation.Role.TOOL)
                .map(Conversation.Message::toolCallId).toList();
        return ids.isEmpty() ? "none" : String.join(", ", ids);
    }

    // ---- helpers ----

    /** The journal, read on first use; a null journal fails the way AssertJ's isNotNull does. */
    protected List<JournalEntry> entries() {
        if (snapshot == null) {
            isNotNull();
            snapshot = List.copyOf(actual.entries());
        }
        return snapshot;
    }

    private Timeline timeline() {
        return Timeline.of(entries());
    }

    /** The attempts of the only logical request, or null after failing because there is not exactly one. */
    private List<JournalEntry> onlyLogicalRequest(int expected) {
        List<List<JournalEntry>> groups = Attempts.byLogicalRequest(entries());
        if (groups.size() == 1) {
            return groups.get(0);
        }
        if (groups.isEmpty()) {
            throwAssertionError(shouldHaveAttempts(expected, 0, timeline()));
        } else {
            List<String> requests = groups.stream()
                    .map(g -> Attempts.label(g.get(0)) + " sent " + g.size() + " time(s): " + sequences(g)).toList();
            throwAssertionError(shouldHaveOneLogicalRequest(expected, requests, timeline()));
        }
        return null;
    }

    private List<JournalEntry> requestsToCheck(String what) {
        List<JournalEntry> requests = Attempts.providerRequests(entries());
        if (requests.isEmpty()) {
            throwAssertionError(shouldHaveRequests(what, timeline()));
        }
        return requests;
    }

    private RequestJournalAssert checkHeader(String name, String value) {
        Objects.requireNonNull(name, "name");
        List<String> violations = new ArrayList<>();
        for (JournalEntry e : requestsToCheck("the header " + name)) {
            String sent = e.header(name);
            if (sent == null) {
                violations.add(Attempts.label(e) + " did not send it");
            } else if (value != null && !value.equals(sent)) {
                violations.add(Attempts.label(e) + " sent '" + sent + "'");
            }
        }
        if (!violations.isEmpty()) {
            throwAssertionError(shouldHaveSentHeader(value == null ? name : name + ": " + value, violations, timeline()));
        }
        return myself;
    }

    private static String apiVersion(JournalEntry e) {
        String header = e.header("anthropic-version");
        if (header != null) {
            return header;
        }
        if (e.query() != null) {
            for (String pair : e.query().split("&")) {
                if (pair.startsWith("api-version=")) {
                    return pair.substring("api-version=".length());
                }
            }
        }
        Matcher m = PATH_VERSION.matcher(e.path());
        return m.find() ? m.group(1) : null;
    }

    /** The query parameter a provider documents for its key: the exception {@link #neverSentCredentialsInQuery} allows. */
    private static final Map<Provider, String> DOCUMENTED_QUERY_KEYS = Map.of(Provider.GEMINI, "key");

    private static boolean carriesCredential(String query, String documented) {
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = (eq < 0 ? pair : pair.substring(0, eq)).toLowerCase(Locale.ROOT);
            if (name.equals(documented)) {
                continue;
            }
            if (Credentials.isCredentialParameter(name) || (eq >= 0 && pair.substring(eq + 1).startsWith("eyJ"))) {
                return true;
            }
        }
        return false;
    }

    /** A cheap request that checks credentials: any GET (models list, a model, health), or a token count. */
    private static boolean isCheck(JournalEntry e) {
        String path = e.path().toLowerCase(Locale.ROOT);
        return e.method().equals("GET") || path.endsWith("/count_tokens") || path.endsWith("/tokenize")
                || path.endsWith("/count-tokens") || path.endsWith("/health");
    }

    private static boolean refusedCredential(JournalEntry e) {
        return e.status() == 401 || e.status() == 403
                || (e.fault() != null && e.fault().cause() == Fault.Cause.INVALID_OR_EXPIRED_TOKEN);
    }

    private static boolean failed(JournalEntry e) {
        return e.fault() != null || e.status() < 200 || e.status() >= 300;
    }

    private static String answer(JournalEntry e) {
        return (e.status() == 0 ? "no answer" : String.valueOf(e.status())) + (e.fault() == null ? "" : " " + e.fault());
    }

    private static String sequences(List<JournalEntry> entries) {
        return String.join(", ", entries.stream().map(e -> "#" + e.sequence()).toList());
    }
}
