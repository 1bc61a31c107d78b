package dev.llmfault.server.internal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.Fault;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.internal.catalogue.Placeholder;
import dev.llmfault.server.internal.catalogue.Vars;
import dev.llmfault.server.ServerSettings;
import dev.llmfault.server.internal.dialect.ChatCall;
import dev.llmfault.server.internal.dialect.ContextWindow;
import dev.llmfault.server.internal.dialect.Dialect;
import dev.llmfault.server.internal.dialect.Dialects;
import dev.llmfault.server.internal.dialect.IncomingRequest;
import dev.llmfault.server.internal.dialect.Rejection;
import dev.llmfault.server.internal.dialect.ResourceAnswer;
import dev.llmfault.server.internal.dialect.Route;
import dev.llmfault.server.internal.dialect.RouteMatch;
import dev.llmfault.server.internal.dialect.Throttle;
import dev.llmfault.server.internal.engine.Injection;
import dev.llmfault.server.internal.engine.RequestFacts;
import dev.llmfault.server.internal.engine.ScenarioEngine;
import dev.llmfault.server.internal.journal.BoundedJournal;
import dev.llmfault.server.internal.policy.PolicyEngine;
import dev.llmfault.server.internal.policy.Verdict;
import dev.llmfault.server.internal.proxy.ProxyMode;
import dev.llmfault.server.internal.reply.ReplyEngine;
import dev.llmfault.server.internal.journal.SharedStrings;
import dev.llmfault.server.internal.json.Json;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.ee10.servlet.ServletContextResponse;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * One request, one way through: resolve the provider -> validate (credential, headers, body) ->
 * scenarios -> answer -> journal. Validation errors are real: they render from the catalogue like an
 * injected fault and are journaled with their reason.
 */
final class ProviderPipeline implements Handler {
    private final Dialects dialects;
    private final ServerSettings settings;
    private final ScenarioEngine engine;
    private final ReplyEngine replies;
    private final PolicyEngine policies;
    private final BoundedJournal journal;
    private final Pacer pacer;
    /** Proxy or replay mode, or null when the fake model answers everything. */
    private final ProxyMode proxy;

    ProviderPipeline(ServerSettings settings, Dialects dialects, ScenarioEngine engine, ReplyEngine replies, PolicyEngine policies,
                     BoundedJournal journal, Pacer pacer, ProxyMode proxy) {
        this.proxy = proxy;
        this.settings = settings;
        this.dialects = dialects;
        this.engine = engine;
        this.replies = replies;
        this.policies = policies;
        this.journal = journal;
        this.pacer = pacer;
    }

    @Override
    public void handle(Context ctx) throws IOException {
        HttpServletRequest req = ctx.req();
        IncomingRequest in = new IncomingRequest(req.getMethod(), req.getRequestURI(), req.getQueryString(),
                headers(req), req.getContentType(), req.getRemoteAddr());
        Exchange exchange = Exchange.arrived(journal, Exchange.jetty(req), in);
        // Read the whole body before any answer, even one that refuses the request early: a body left unread makes
        // Jetty close the connection, and a client reusing it would fail on the next call. Read without holding a
        // thread while it arrives: a thousand clients sending their bodies slowly would otherwise fill the pool.
        BodyReader.read(ctx, settings.maxBodyBytes(), discardBound(), body -> withBody(ctx, in, exchange, body));
    }

    private void withBody(Context ctx, IncomingRequest in, Exchange exchange, BodyReader.Body body) throws IOException {
        if (body.awaited()) {
            exchange.sent(); // a delay counts from the body's last byte, not from the headers that came long before
        }
        try {
            if (body.failure() != null) {
                bodyLost(ctx, in, exchange, body);
                return;
            }
            if (body.bytes() != null) {
                exchange.rawBody = new String(body.bytes(), StandardCharsets.UTF_8);
            } else if (body.cutOff()) {
                ctx.header("Connection", "close");
                exchange.note = "body of " + describeSize(body.declared(), body.received()) + " discarded up to "
                        + discardBound() + " bytes, then the connection was closed";
            }
            serve(ctx, in, exchange, body.bytes());
        } finally {
            if (!exchange.deferred) {
                exchange.record(ctx.res()); // normally already done by the Responder, before the last write
            } // else the answer waits on the timer and journals itself (PacedAnswer)
        }
    }

    /**
     * The body did not arrive whole: the client closed the connection (or stopped sending past the idle timeout)
     * in the middle of it. Nothing is answered; the journal says so, with status 0, and the connection is closed.
     */
    private void bodyLost(Context ctx, IncomingRequest in, Exchange exchange, BodyReader.Body body) {
        Dialect dialect = dialects.resolve(in).dialect();
        exchange.provider = dialect.provider();
        exchange.alias = dialect.alias();
        String expected = body.declared() >= 0 ? " of " + body.declared() : "";
        exchange.faultReason = "client " + (body.failure() instanceof TimeoutException ? "stopped sending" : "closed the connection")
                + " after " + (System.nanoTime() - exchange.arrivalNanos) / 1_000_000 + " ms, before its body ended ("
                + body.received() + expected + " bytes received)";
        exchange.record(ctx.res());
        ConnectionAborter.cut(ctx);
    }

    private void serve(Context ctx, IncomingRequest in, Exchange exchange, byte[] rawBody) throws IOException {
        Dialects.Resolution where = dialects.resolve(in);
        Dialect dialect = where.dialect();
        exchange.provider = dialect.provider();
        exchange.alias = dialect.alias();
        Responder answer = new Responder(ctx, dialect, dialect.newRequestId(), exchange, settings, replies, pacer);
        if (where.unknownPath()) {
            Rejection retired = policies.retiredEndpoint(in.method(), in.path());
            answer.reject(retired != null ? retired : Rejection.of(Fault.OLD_API_VERSION, "unknown_path", new Vars(),
                    "validation: unknown path " + in.path()), Throttle.unlimited());
            return;
        }
        if (!where.methodAllowed()) {
            answer.reject(Rejection.of(Fault.WRONG_METHOD, "validation: " + in.method() + " not allowed on " + in.path()),
                    Throttle.unlimited());
            return;
        }
        RouteMatch route = where.route();
        String credential = dialect.credential(in); // read once: the check and the scenarios' facts both need it
        Rejection refused = checkCredential(dialect, credential, exchange);
        if (refused == null) {
            refused = dialect.checkHeaders(in);
        }
        ChatCall call = null;
        JsonNode body = null;
        if (refused == null && route.route().takesBody()) {
            BodyOutcome read = readBody(ctx, in, dialect, route, exchange, rawBody);
            refused = read.rejection;
            call = read.call;
            body = read.body;
        } else if (refused == null) {
            exchange.model = dialect.model(route, null);
        }
        if (refused != null) {
            answer.reject(refused, Throttle.unlimited());
            return;
        }
        List<String> known = settings.models().getOrDefault(dialect.provider(), List.of());
        RequestFacts facts = new RequestFacts(dialect.provider(), in.path(), in.headers(), in.clientAddress(),
                credential, exchange.keyFingerprint(), exchange.model,
                call == null ? 0 : call.promptTokens() + call.reservedTokens(), known, call != null,
                exchange.tokenOwner);
        if (proxy != null && proxy.answersFor(dialect.provider())) {
            answer.relayingThrough(new Relay(ctx, dialect, exchange, proxy, rawBody, call != null ? call.body() : body));
        }
        Injection injection = engine.decide(facts);
        if (injection != null) {
            answer.inject(injection, call);
            return;
        }
        Verdict verdict = policies.evaluate(facts);
        if (verdict.refused()) {
            answer.reject(verdict.rejection(), verdict.throttle());
            return;
        }
        if (route.kind() != Route.Kind.CHAT && answer.relayed()) {
            return; // proxy or replay: the model list and stored resources come from there too
        }
        switch (route.kind()) {
            case CHAT -> answer.success(call, verdict.throttle());
            case MODELS -> models(answer, dialect.modelList(known));
            case MODEL -> model(answer, dialect, route.param("model"), known);
            case RESOURCE -> resource(answer, dialect.resource(route, in, body, known));
        }
    }

    private Rejection checkCredential(Dialect dialect, String credential, Exchange exchange) {
        if (credential == null || credential.isEmpty()) {
            return dialect.credentialRequired() ? Rejection.of(Fault.MISSING_TOKEN, "validation: no credential sent") : null;
        }
        exchange.credential(credential);
        exchange.tokenOwner = policies.tokenOwners().ownerOf(exchange.keyFingerprint()); // null unless OAuth is in use
        for (int i = 0; i < credential.length(); i++) {
            char c = credential.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                return Rejection.of(Fault.INVALID_TOKEN, "validation: malformed credential (white space or non-ASCII)");
            }
        }
        return null;
    }

    /** A read body: the call when the route is a model call, the JSON for the others, or why it was refused. */
    private record BodyOutcome(ChatCall call, JsonNode body, Rejection rejection) {
        static BodyOutcome refused(Rejection r) {
            return new BodyOutcome(null, null, r);
        }
    }

    private BodyOutcome readBody(Context ctx, IncomingRequest in, Dialect dialect, RouteMatch route, Exchange exchange,
                                 byte[] bytes) throws IOException {
        long max = settings.maxBodyBytes();
        long declared = ctx.req().getContentLengthLong();
        if (bytes == null) { // too large: thrown away
            long size = Math.max(declared, max + 1);
            return BodyOutcome.refused(Rejection.of(Fault.MALFORMED_BODY, "too_large",
                    new Vars().put(Placeholder.SIZE, size).put(Placeholder.MAX_SIZE, max),
                    "validation: body larger than " + max + " bytes"));
        }
        if (!isJsonContentType(in.contentType())) {
            exchange.model = dialect.model(route, null);
            return BodyOutcome.refused(Rejection.of(Fault.MALFORMED_BODY, "content_type",
                    Vars.of(Placeholder.CONTENT_TYPE, in.contentType()), "validation: content type " + in.contentType()));
        }
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            exchange.model = dialect.model(route, null);
            String detail = exchange.scrub(e.getOriginalMessage()); // the parser quotes what it choked on: maybe the key
            return BodyOutcome.refused(Rejection.of(Fault.MALFORMED_BODY, "", Vars.of(Placeholder.DETAIL, detail),
                    "validation: invalid JSON: " + detail));
        }
        if (body == null || body.isMissingNode()) {
            exchange.model = dialect.model(route, null);
            return BodyOutcome.refused(Rejection.of(Fault.MALFORMED_BODY, "", Vars.of(Placeholder.DETAIL, "empty body"),
                    "validation: empty body"));
        }
        exchange.model = dialect.model(route, body);
        Rejection invalid = dialect.checkBody(route, body);
        if (invalid != null) {
            return BodyOutcome.refused(invalid);
        }
        if (route.kind() != Route.Kind.CHAT) {
            return new BodyOutcome(null, body, null);
        }
        ChatCall call = dialect.readCall(route, in, body);
        exchange.stream = call.stream();
        exchange.call(call); // journaled with its token counts, also when the context check refuses it
        Rejection tooLong = ContextWindow.check(dialect, call);
        if (tooLong != null) {
            return BodyOutcome.refused(tooLong);
        }
        return new BodyOutcome(call, body, null);
    }

    /**
     * How much of a too-large body is read and thrown away, so that the client, still sending, gets its 413
     * rather than a connection closed under it: {@value #DISCARD_FACTOR} times {@code maxBodyBytes} plus 1 MiB.
     */
    static final long DISCARD_FACTOR = 8;

    long discardBound() {
        long max = settings.maxBodyBytes();
        return max > (Long.MAX_VALUE - (1 << 20)) / DISCARD_FACTOR ? Long.MAX_VALUE : max * DISCARD_FACTOR + (1 << 20);
    }

    private static String describeSize(long declared, long read) {
        return declared >= 0 ? declared + " bytes" : "more than " + read + " bytes (chunked)";
    }

    /** JSON or no declared type (lenient, as curl users often forget it); anything else is refused. */
    private static boolean isJsonContentType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return true;
        }
        // Compared in place, without the split, trim and lower-casing copies, for the ASCII types every client sends.
        int end = contentType.indexOf(';');
        end = end < 0 ? contentType.length() : end;
        int start = 0;
        while (start < end && contentType.charAt(start) <= ' ') start++;
        while (end > start && contentType.charAt(end - 1) <= ' ') end--;
        for (int i = start; i < end; i++) {
            if (contentType.charAt(i) >= 0x80) { // lower-casing beyond ASCII may change the length: the slow way
                String media = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
                return media.equals("application/json") || media.endsWith("+json");
            }
        }
        int length = end - start;
        return length == 16 && contentType.regionMatches(true, start, "application/json", 0, 16)
                || length >= 5 && contentType.regionMatches(true, end - 5, "+json", 0, 5);
    }

    private static void models(Responder answer, ObjectNode list) {
        if (list == null) {
            answer.reject(Rejection.of(Fault.OLD_API_VERSION, "unknown_path", new Vars(), "validation: no model list"),
                    Throttle.unlimited());
            return;
        }
        answer.json(200, Json.bytes(list));
    }

    private static void model(Responder answer, Dialect dialect, String id, List<String> known) {
        ObjectNode one = known.contains(id) ? dialect.modelEntry(id) : null;
        if (one == null) {
            answer.reject(Rejection.of(Fault.MODEL_NOT_FOUND, "", Vars.of(Placeholder.MODEL, id),
                    "validation: unknown model " + id), Throttle.unlimited());
            return;
        }
        answer.json(200, Json.bytes(one));
    }

    private static void resource(Responder answer, ResourceAnswer outcome) {
        if (outcome.rejection() != null) {
            answer.reject(outcome.rejection(), Throttle.unlimited());
        } else {
            answer.json(outcome.status(), outcome.body());
        }
    }

    /**
     * The first value of each response header, as an immutable map (what the journal entry keeps, so it is not
     * copied again). Read from Jetty's field list in one pass: the servlet API (getHeaderNames, then getHeader per
     * name) scans the list again for every name. A repeated name is found by a scan of the few names before it;
     * the names are shared instances, so that is mostly identity checks.
     */
    static Map<String, String> responseHeaders(HttpServletResponse res) {
        HttpFields fields = ServletContextResponse.getServletContextResponse(res).getHeaders();
        while (fields instanceof HttpFields.Mutable.Wrapper wrapper) {
            fields = wrapper.getWrapped(); // only read here: the servlet wrapper's iterator watches for changes, at a cost
        }
        @SuppressWarnings("unchecked")
        Map.Entry<String, String>[] first = new Map.Entry[fields.size()];
        int n = 0;
        next:
        for (HttpField field : fields) {
            String name = SharedStrings.lowerCaseName(field.getName());
            for (int i = 0; i < n; i++) {
                if (first[i].getKey().equals(name)) {
                    continue next;
                }
            }
            first[n++] = Map.entry(name, SharedStrings.share(field.getValue()));
        }
        return Map.ofEntries(n == first.length ? first : java.util.Arrays.copyOf(first, n));
    }

    /**
     * The request headers, names in lower case, repeated headers joined with ", " in arrival order. Read
     * from Jetty's field list in one pass: the servlet API (getHeaderNames, then getHeaders per name)
     * scans the list again, with a new iterator, for every name.
     */
    static Map<String, String> headers(HttpServletRequest req) {
        Map<String, String> headers = new HashMap<>();
        for (HttpField field : ServletContextRequest.getServletContextRequest(req).getHeaders()) {
            headers.merge(SharedStrings.lowerCaseName(field.getName()), field.getValue(), (a, b) -> a + ", " + b);
        }
        return headers;
    }

}
