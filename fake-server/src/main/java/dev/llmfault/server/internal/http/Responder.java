package dev.llmfault.server.internal.http;

import dev.llmfault.server.Conversation;
import dev.llmfault.server.Fault;
import dev.llmfault.server.Scenario;
import dev.llmfault.server.internal.catalogue.FaultCatalogue;
import dev.llmfault.server.internal.catalogue.Placeholder;
import dev.llmfault.server.internal.catalogue.Rendering;
import dev.llmfault.server.internal.catalogue.Vars;
import dev.llmfault.server.ServerSettings;
import dev.llmfault.server.ServerSettings.ReplySettings;
import dev.llmfault.server.internal.dialect.ChatCall;
import dev.llmfault.server.internal.dialect.ContextWindow;
import dev.llmfault.server.internal.dialect.Dialect;
import dev.llmfault.server.internal.dialect.Rejection;
import dev.llmfault.server.internal.dialect.Answer;
import dev.llmfault.server.internal.dialect.StreamFramer;
import dev.llmfault.server.internal.dialect.Throttle;
import dev.llmfault.server.internal.engine.Injection;
import dev.llmfault.server.internal.reply.ModelFailures;
import dev.llmfault.server.internal.reply.ReplyAnswers;
import dev.llmfault.server.internal.reply.ReplyEngine;
import dev.llmfault.server.internal.reply.StructuredDefault;
import io.javalin.http.Context;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Writes one answer: a success (plain or streamed, with the configured delays), an error rendered from
 * the catalogue (with a scenario's overrides), or a transport fault. Writes straight to the servlet
 * response so that streams flush frame by frame and a cut connection is really cut.
 */
final class Responder {
    static final long DEFAULT_RETRY_AFTER_MS = 1000;
    static final long DEFAULT_SLOW_DELAY_MS = 1000;
    static final int DEFAULT_AFTER_CHUNKS = 2;

    private final Context ctx;
    private final Dialect dialect;
    private final String requestId;
    private final Exchange exchange;
    private final ReplySettings reply;
    private final ReplyEngine replies;
    /** The server's seed: generated tool call ids derive from it. */
    private final long seed;
    private final Pacer pacer;
    /** Answers instead of the fake model in proxy or replay mode, or null. */
    private Relay relay;
    /** The call's conversation once read (see {@link #conversation}), or null. */
    private Conversation conversation;

    Responder(Context ctx, Dialect dialect, String requestId, Exchange exchange, ServerSettings settings,
              ReplyEngine replies, Pacer pacer) {
        this.ctx = ctx;
        this.dialect = dialect;
        this.requestId = requestId;
        this.exchange = exchange;
        this.reply = settings.reply();
        this.replies = replies;
        this.seed = settings.seed();
        this.pacer = pacer;
    }

    /** Answers through the relay (an upstream or the fixtures) instead of the fake model. */
    Responder relayingThrough(Relay relay) {
        this.relay = relay;
        return this;
    }

    /**
     * An answer that is not the fake model's (proxy or replay); false when there is none for this request
     * (lenient replay without a match) and the caller answers as usual.
     */
    boolean relayed() throws IOException {
        return relay != null && relay.answer(Relay.Plan.NONE, this);
    }

    // ---- errors ----

    /**
     * The upstream could not be reached or did not answer: the provider's own server-error shape, journaled as
     * an upstream failure, not as an injected fault.
     */
    void upstreamFailed(String reason) {
        exchange.fault(Fault.SERVER_ERROR, reason, null);
        exchange.origin = dev.llmfault.server.JournalEntry.Origin.UPSTREAM_FAILED;
        Rendering r = FaultCatalogue.get().lookup(Fault.SERVER_ERROR, dialect.provider());
        writeError(r, baseVars(), Throttle.unlimited(), null, Map.of());
    }

    /**
     * Strict replay found no fixture: the provider's invalid-request shape (a 400 no client retries) with a
     * message naming the closest fixture and what differed.
     */
    void replayMiss(String description) {
        exchange.fault(null, "replay: no fixture matched; " + description, null);
        exchange.origin = dev.llmfault.server.JournalEntry.Origin.REPLAY_UNMATCHED;
        Rendering r = FaultCatalogue.get().lookup(Fault.MALFORMED_BODY, dialect.provider());
        HttpServletResponse res = ctx.res();
        exchange.status = r.status();
        res.setStatus(r.status());
        commonHeaders(res, Throttle.unlimited());
        writeBody(res, "application/json", dialect.errorBody(r, baseVars(),
                "llmfault replay: no recorded answer matches " + exchange.request.method() + " " + exchange.request.path()
                        + "; " + description, requestId));
    }

    /** A real refusal (validation or policy), rendered from the catalogue. */
    void reject(Rejection rejection, Throttle throttle) {
        exchange.fault(rejection.fault(), rejection.reason(), null);
        Rendering r = FaultCatalogue.get().lookup(rejection.fault(), dialect.provider(), rejection.variant());
        Vars vars = baseVars().putAllFrom(rejection.vars());
        retryVars(vars, throttle);
        writeError(r, vars, throttle, null, rejection.headers());
    }

    /**
     * An injected fault: HTTP errors from the catalogue, transport faults as behaviour. A switch over every
     * fault with no default: a new fault that is neither listed as an HTTP error nor implemented does not compile.
     */
    void inject(Injection injection, ChatCall call) throws IOException {
        Scenario s = injection.scenario();
        exchange.fault(s.fault(), injection.reason(), s.id());
        if (relay != null && relayFault(s, call)) {
            return;
        }
        switch (s.fault()) {
            case SLOW_RESPONSE -> slow(call, s.delayMs() == null ? DEFAULT_SLOW_DELAY_MS : s.delayMs());
            case CONNECTION_RESET -> reset();
            case STREAM_INTERRUPTED -> interrupted(call, afterChunks(s));
            case STREAM_ERROR -> streamError(call, s);
            case STREAM_STALLED -> stalled(call, afterChunks(s), s.delayMs());
            case CONTEXT_LENGTH_EXCEEDED -> injectError(s, s.fault(), ContextWindow.injected(dialect, call));
            case LENGTH_TRUNCATED, CONTENT_FILTERED, INVALID_JSON_OUTPUT, UNKNOWN_TOOL_CALL, INVALID_TOOL_ARGUMENTS ->
                    modelOutput(call, s);
            case MISSING_TOKEN, INVALID_TOKEN, EXPIRED_TOKEN, INSUFFICIENT_SCOPE, MALFORMED_BODY, MISSING_FIELD,
                 WRONG_METHOD, RATE_LIMITED, QUOTA_EXCEEDED, IP_BLOCKED, REGION_BLOCKED, OLD_API_VERSION,
                 MODEL_NOT_FOUND, OVERLOADED, SERVER_ERROR -> injectError(s, s.fault(), new Vars());
        }
    }

    /**
     * A transport fault applied to a relayed answer (the upstream's or a fixture's): false for the faults that
     * need no answer to act on (HTTP errors, a reset before forwarding, an error frame on a plain call), which
     * are rendered as usual.
     */
    private boolean relayFault(Scenario s, ChatCall call) throws IOException {
        boolean streamed = call != null && call.stream();
        Relay.Plan plan;
        switch (s.fault()) {
            case SLOW_RESPONSE -> plan = new Relay.Plan(s.delayMs() == null ? DEFAULT_SLOW_DELAY_MS : s.delayMs(), -1, null);
            case STREAM_INTERRUPTED -> plan = new Relay.Plan(0, afterChunks(s), null);
            case STREAM_ERROR -> {
                if (!streamed) {
                    return false;
                }
                Rendering r = FaultCatalogue.get().lookup(Fault.STREAM_ERROR, dialect.provider());
                String message = baseVars().fill(r.message(), false);
                plan = new Relay.Plan(0, afterChunks(s), () -> dialect.streamFramer(call, Answer.of(""), requestId).error(r, message));
            }
            default -> {
                return false;
            }
        }
        return relay.answer(plan, this);
    }

    private void injectError(Scenario s, Fault rendered, Vars extra) {
        injectError(s, FaultCatalogue.get().lookup(rendered, dialect.provider()), extra);
    }

    private void injectError(Scenario s, Rendering r, Vars extra) {
        Vars vars = baseVars().putAllFrom(extra);
        long retryAfterMs = s.retryAfterMs() != null ? s.retryAfterMs() : r.throttle() ? DEFAULT_RETRY_AFTER_MS : -1;
        Throttle throttle = r.throttle() ? Throttle.exhausted(retryAfterMs) : Throttle.unlimited().withRetryAfter(retryAfterMs);
        retryVars(vars, throttle);
        writeError(r, vars, throttle, s, Map.of());
    }

    private void writeError(Rendering r, Vars vars, Throttle throttle, Scenario overrides, Map<String, String> extra) {
        HttpServletResponse res = ctx.res();
        int status = overrides != null && overrides.status() != null ? overrides.status() : r.status();
        exchange.status = status;
        res.setStatus(status);
        commonHeaders(res, throttle);
        r.headers().forEach((name, value) -> res.setHeader(name, vars.fill(value, false)));
        extra.forEach(res::setHeader);
        byte[] body;
        if (overrides != null) {
            vars.put(Placeholder.STATUS, status).put(Placeholder.FAULT, overrides.fault().name());
            overrides.headers().forEach((name, value) -> res.setHeader(name, vars.fill(value, false)));
            if (overrides.shouldRetry() != null) {
                res.setHeader("x-should-retry", overrides.shouldRetry().toString());
            }
        }
        if (overrides != null && overrides.body() != null) {
            body = vars.fill(overrides.body(), true).getBytes(StandardCharsets.UTF_8);
        } else {
            body = dialect.errorBody(r, vars, vars.fill(r.message(), false), requestId);
        }
        // A hint in the body (Gemini's RetryInfo) is recorded here; one in headers is read back from them, as the
        // client saw it (Anthropic's whole seconds), by JournalEntry.retryAfter().
        if (throttle.retryAfterMs() >= 0 && dialect.retryHint() == Dialect.RetryHint.BODY
                && (overrides == null || overrides.body() == null)) {
            exchange.askedWaitMs = throttle.retryAfterMs();
        }
        writeBody(res, "application/json", body);
    }

    // ---- successes ----

    void success(ChatCall call, Throttle throttle) throws IOException {
        if (relayed()) {
            return;
        }
        exchange.status = 200;
        Answer answer = answerFor(call);
        if (call.stream()) {
            stream(call, StreamScript.whole(dialect.streamFramer(call, answer, requestId), answer, reply.firstChunkDelayMs(),
                    reply.chunkDelayMs()), throttle, false);
        } else {
            HttpServletResponse res = ctx.res();
            res.setStatus(200);
            commonHeaders(res, throttle);
            writeBody(res, "application/json", dialect.chatResponse(call, answer, requestId));
        }
    }

    /**
     * What the fake model answers this call: the one place an answer is chosen (reply rules, structured output
     * and the model's own faults build on it). The reply rule that answers is journaled (faults that play an
     * answer, a cut stream, use it too). The conversation is read from the body only when a rule looks into it or
     * the dialect says the body may ask for a structured answer, and then once ({@link #conversation}).
     */
    private Answer answerFor(ChatCall call) {
        return exchange.answered(chooseAnswer(call));
    }

    private Answer chooseAnswer(ChatCall call) {
        if (call != null) {
            ReplyEngine.Choice choice = replies.choose(new ReplyEngine.Request(dialect.provider(),
                    exchange.request.path(), exchange.request.headers(), exchange.keyFingerprint(), exchange.model,
                    () -> conversation(call), exchange.tokenOwner));
            if (choice != null) {
                exchange.replyId = choice.rule().id();
                return ReplyAnswers.answer(choice, dialect, seed);
            }
            // No rule: a call asking for structured output gets a document generated from its schema, or a call
            // of the tool it forces, so the client's parser runs for real. The dialect's cheap question spares a
            // plain call the whole conversation read, a walk of every message, on the hot path.
            if (!dialect.mayAskForStructuredOutput(call.route(), call.body())) {
                return Answer.of(reply.text());
            }
            Conversation c = conversation(call);
            Answer structured = StructuredDefault.answer(c,
                    c.forcedTool() == null ? null : dialect.toolCallId(c.forcedTool(), seed));
            if (structured != null) {
                return structured;
            }
        }
        return Answer.of(reply.text());
    }

    /** The call's conversation, read from its body once per request (reply rules, the structured default, faults). */
    private Conversation conversation(ChatCall call) {
        if (conversation == null) {
            conversation = dialect.conversation(call.route(), call.body());
        }
        return conversation;
    }

    void json(int status, byte[] body) {
        exchange.status = status;
        HttpServletResponse res = ctx.res();
        res.setStatus(status);
        commonHeaders(res, Throttle.unlimited());
        writeBody(res, "application/json", body);
    }

    // ---- transport faults ----

    private void slow(ChatCall call, long delayMs) throws IOException {
        Answer answer = answerFor(call);
        if (call != null && call.stream()) {
            exchange.status = 200;
            stream(call, StreamScript.whole(dialect.streamFramer(call, answer, requestId), answer,
                    reply.firstChunkDelayMs() + delayMs, reply.chunkDelayMs()), Throttle.unlimited(), true);
            return;
        }
        // Journaled when the delay starts: a client that gives up meanwhile must still find its request.
        HttpServletResponse res = ctx.res();
        exchange.status = 200;
        res.setStatus(200);
        commonHeaders(res, Throttle.unlimited());
        res.setContentType("application/json");
        exchange.record(res);
        byte[] body = call == null ? "{}".getBytes(StandardCharsets.UTF_8) : dialect.chatResponse(call, answer, requestId);
        // The delay waits on the server's timer, not on this thread; the body is written when it is over.
        PacedAnswer.play(ctx, pacer, exchange, List.of(new PacedAnswer.Step(delayMs, () -> {
            res.setContentType("application/json");
            res.setContentLength(body.length);
            res.getOutputStream().write(body);
        })), PacedAnswer.Ending.COMPLETE);
    }

    private void reset() {
        exchange.status = 0;
        exchange.record(ctx.res());
        ConnectionAborter.reset(ctx);
    }

    private void interrupted(ChatCall call, int afterChunks) throws IOException {
        exchange.status = 200;
        Answer answer = answerFor(call);
        if (call != null && call.stream()) {
            // The cut comes when the script has played (after its delays): PacedAnswer journals, then cuts.
            stream(call, StreamScript.cut(dialect.streamFramer(call, answer, requestId), answer, afterChunks,
                    reply.firstChunkDelayMs(), reply.chunkDelayMs()), Throttle.unlimited(), false);
            return;
        } else {
            // A plain answer promised in full by Content-Length, cut in the middle.
            byte[] body = call == null ? "{}".getBytes(StandardCharsets.UTF_8) : dialect.chatResponse(call, answer, requestId);
            HttpServletResponse res = ctx.res();
            res.setStatus(200);
            commonHeaders(res, Throttle.unlimited());
            res.setContentType("application/json");
            res.setContentLength(body.length);
            ServletOutputStream out = res.getOutputStream();
            out.write(body, 0, body.length / 2);
            out.flush();
        }
        exchange.record(ctx.res());
        ConnectionAborter.cut(ctx);
    }

    private void streamError(ChatCall call, Scenario s) throws IOException {
        Rendering r = FaultCatalogue.get().lookup(Fault.STREAM_ERROR, dialect.provider());
        if (call == null || !call.stream()) {
            // No stream to break: answer with the provider's server error, keeping STREAM_ERROR in the journal.
            injectError(s, Fault.SERVER_ERROR, new Vars());
            return;
        }
        exchange.status = 200;
        Answer answer = answerFor(call);
        StreamFramer framer = dialect.streamFramer(call, answer, requestId);
        String message = baseVars().fill(r.message(), false);
        stream(call, StreamScript.failed(framer, answer, afterChunks(s), () -> framer.error(r, message),
                reply.firstChunkDelayMs(), reply.chunkDelayMs()), Throttle.unlimited(), false);
    }

    /**
     * One of the model's own failures: the answer the model would have given, changed by {@link ModelFailures} (cut
     * at the token limit, filtered, broken JSON, a wrong tool call) and rendered by the dialect like any answer, plain
     * or streamed. A provider that refuses instead (Azure's and Zhipu's filters on a plain call) has an error row:
     * the catalogue's {@code stream} variant says how a stream ends, the main row how a plain call does.
     */
    private void modelOutput(ChatCall call, Scenario s) throws IOException {
        boolean streamed = call.stream(); // never null: these faults match model calls only (ActiveScenario)
        Rendering r = FaultCatalogue.get().lookup(s.fault(), dialect.provider(), streamed ? "stream" : "");
        if (r.status() >= 400) {
            injectError(s, r, new Vars());
            return;
        }
        exchange.status = 200;
        Conversation conversation = conversation(call);
        // the same ids on a retry of the same turn, as for a reply rule's calls
        long turnSeed = seed * 31 + conversation.turn();
        Answer answer = exchange.answered(ModelFailures.answer(s.fault(), answerFor(call), conversation, s.afterChunks(),
                call.reservedTokens(), name -> dialect.toolCallId(name, turnSeed))); // the journal keeps what was sent
        if (streamed) {
            stream(call, StreamScript.whole(dialect.streamFramer(call, answer, requestId), answer, reply.firstChunkDelayMs(),
                    reply.chunkDelayMs()), Throttle.unlimited(), false);
        } else {
            HttpServletResponse res = ctx.res();
            res.setStatus(200);
            commonHeaders(res, Throttle.unlimited());
            writeBody(res, "application/json", dialect.chatResponse(call, answer, requestId));
        }
    }

    /**
     * A stall: a stream sends its first {@code afterChunks} content deltas, a plain answer its headers, then
     * nothing while the connection stays open, until the client leaves (journaled then) or, when
     * {@code holdMs} is set, until that time has passed and the connection is cut. No thread waits meanwhile.
     */
    private void stalled(ChatCall call, int afterChunks, Long holdMs) throws IOException {
        exchange.status = 200;
        long hold = holdMs == null ? PacedAnswer.HOLD : Math.max(holdMs, 1);
        if (call != null && call.stream()) {
            Answer answer = answerFor(call);
            stream(call, StreamScript.stalled(dialect.streamFramer(call, answer, requestId), answer, afterChunks,
                    reply.firstChunkDelayMs(), reply.chunkDelayMs(), hold), Throttle.unlimited(), false);
            return;
        }
        byte[] body = call == null ? "{}".getBytes(StandardCharsets.UTF_8) : dialect.chatResponse(call, answerFor(call), requestId);
        HttpServletResponse res = ctx.res();
        res.setStatus(200);
        commonHeaders(res, Throttle.unlimited());
        res.setContentType("application/json");
        res.setContentLength(body.length); // promised, never sent
        ServletOutputStream out = res.getOutputStream();
        out.flush(); // the headers go out now
        PacedAnswer.play(ctx, pacer, exchange, List.of(new PacedAnswer.Step(hold, () -> { })), PacedAnswer.Ending.CUT);
    }

    private static int afterChunks(Scenario s) {
        return s.afterChunks() == null ? DEFAULT_AFTER_CHUNKS : s.afterChunks();
    }

    // ---- writing ----

    /**
     * Writes a stream: the headers at once (a client sees the 200 before the first delay, as with a real
     * provider), then the script's steps, paced by the server's timer. The request is journaled before the
     * last write of a stream that ends (a client that has its answer must find it), or before the first delay
     * when asked. Always chunked, even when the client sent {@code Connection: close}: there Jetty would
     * otherwise end the body by closing the connection, and a cut stream would look like a complete one.
     */
    private void stream(ChatCall call, StreamScript script, Throttle throttle, boolean journalBeforeDelay) throws IOException {
        HttpServletResponse res = ctx.res();
        res.setStatus(200);
        commonHeaders(res, throttle);
        res.setContentType(dialect.streamContentType(call));
        res.setHeader("Cache-Control", "no-cache");
        if ("HTTP/1.1".equals(ctx.req().getProtocol())) {
            res.setHeader("Transfer-Encoding", "chunked"); // HTTP/2 frames its own ends
        }
        ServletOutputStream out = res.getOutputStream();
        out.flush();
        if (journalBeforeDelay) {
            exchange.record(res);
        }
        PacedAnswer.play(ctx, pacer, exchange, script.steps(out, () -> exchange.record(res)), script.ending());
    }

    private void commonHeaders(HttpServletResponse res, Throttle throttle) {
        res.setHeader(dialect.requestIdHeader(), requestId);
        BiConsumer<String, String> header = (name, value) -> AnswerHeaders.set(res, name, value);
        dialect.commonHeaders((System.nanoTime() - exchange.arrivalNanos) / 1_000_000, header);
        dialect.throttleHeaders(throttle, header);
    }

    private void writeBody(HttpServletResponse res, String contentType, byte[] body) {
        res.setContentType(contentType);
        res.setContentLength(body.length);
        exchange.record(res);
        try {
            res.getOutputStream().write(body);
        } catch (IOException clientGone) {
            // the client closed the connection: nothing left to answer
        }
    }

    private Vars baseVars() {
        Vars vars = new Vars()
                .put(Placeholder.REQUEST_ID, requestId)
                .put(Placeholder.KEY_MASK, exchange.keyMask())
                .put(Placeholder.KEY, exchange.keyMask())
                .put(Placeholder.MODEL, exchange.model == null ? "unknown" : exchange.model)
                .put(Placeholder.METHOD, exchange.request.method())
                .put(Placeholder.PATH, exchange.request.path())
                .put(Placeholder.IP, exchange.request.clientAddress())
                .put(Placeholder.SCOPE, "model.request")
                .put(Placeholder.REGION, "unknown")
                .put(Placeholder.DETAIL, "Expecting value: line 1 column 1 (char 0)") // what an injected MALFORMED_BODY says
                .put(Placeholder.LIMIT, Throttle.DEFAULT_REQUEST_LIMIT)
                .put(Placeholder.USED, Throttle.DEFAULT_REQUEST_LIMIT)
                .put(Placeholder.REQUESTED, 1);
        dialect.requestVars(exchange.request, vars);
        return vars;
    }

    private static void retryVars(Vars vars, Throttle throttle) {
        if (throttle.retryAfterMs() >= 0) {
            vars.put(Placeholder.RETRY_SECONDS, throttle.retryAfterSeconds());
            vars.put(Placeholder.RETRY_MS, throttle.retryAfterMs());
            vars.put(Placeholder.RETRY_IN, retryIn(throttle.retryAfterMs()));
        }
    }

    /** The last retry hint rendered as text: a scenario's hint rarely changes, and String.format is costly. */
    private static volatile RetryText lastRetryIn = new RetryText(-1, "");

    private record RetryText(long ms, String text) {
    }

    private static String retryIn(long ms) {
        RetryText last = lastRetryIn;
        if (last.ms() == ms) {
            return last.text();
        }
        String text = ms < 1000 ? ms + "ms" : String.format(java.util.Locale.ROOT, "%.3gs", ms / 1000.0);
        lastRetryIn = new RetryText(ms, text);
        return text;
    }
}
