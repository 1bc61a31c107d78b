package dev.llmfault.server.internal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.Fault;
import dev.llmfault.server.internal.catalogue.Vars;
import dev.llmfault.server.internal.config.ServerSettings;
import dev.llmfault.server.internal.dialect.ChatCall;
import dev.llmfault.server.internal.dialect.Dialect;
import dev.llmfault.server.internal.dialect.IncomingRequest;
import dev.llmfault.server.internal.dialect.Rejection;
import dev.llmfault.server.internal.dialect.Route;
import dev.llmfault.server.internal.dialect.Throttle;
import dev.llmfault.server.internal.dialect.TokenCounter;
import dev.llmfault.server.internal.engine.Injection;
import dev.llmfault.server.internal.engine.RequestFacts;
import dev.llmfault.server.internal.engine.ScenarioEngine;
import dev.llmfault.server.internal.journal.BoundedJournal;
import dev.llmfault.server.internal.json.Json;
import dev.llmfault.server.JournalEntry;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One request, one way through: resolve the provider -> validate (credential, headers, body) ->
 * scenarios -> answer -> journal. Validation errors are real: they render from the catalogue like an
 * injected fault and are journaled with their reason.
 */
final class ProviderPipeline implements Handler {
    private static final Logger LOG = LoggerFactory.getLogger(ProviderPipeline.class);
    private final Dialects dialects = new Dialects();
    private final ServerSettings settings;
    private final ScenarioEngine engine;
    private final BoundedJournal journal;

    ProviderPipeline(ServerSettings settings, ScenarioEngine engine, BoundedJournal journal) {
        this.settings = settings;
        this.engine = engine;
        this.journal = journal;
    }

    @Override
    public void handle(Context ctx) throws IOException {
        HttpServletRequest req = ctx.req();
        IncomingRequest in = new IncomingRequest(req.getMethod(), req.getRequestURI(), req.getQueryString(),
                headers(req), req.getContentType(), req.getRemoteAddr());
        Exchange exchange = new Exchange(journal.nextSequence(), Instant.now(), System.nanoTime(), in);
        try {
            serve(ctx, in, exchange);
        } finally {
            exchange.responseHeaders = responseHeaders(ctx.res());
            JournalEntry entry = exchange.toEntry();
            journal.record(entry);
            if (LOG.isDebugEnabled()) {
                LOG.debug("#{} {} {} -> {}{} key={} ({} ms)", entry.sequence(), entry.method(), entry.path(), entry.status(),
                        entry.fault() == null ? "" : " " + entry.fault() + " [" + entry.faultReason() + "]",
                        entry.apiKeyMask(), entry.duration().toMillis());
            }
        }
    }

    private void serve(Context ctx, IncomingRequest in, Exchange exchange) throws IOException {
        Dialects.Resolution where = dialects.resolve(in);
        Dialect dialect = where.dialect();
        exchange.provider = dialect.provider();
        Responder answer = new Responder(ctx, dialect, dialect.newRequestId(), exchange, settings.reply());
        if (where.unknownPath()) {
            discardBody(ctx);
            answer.reject(Rejection.of(Fault.OLD_API_VERSION, "unknown_path", new Vars(),
                    "validation: unknown path " + in.path()), Throttle.unlimited());
            return;
        }
        if (!where.methodAllowed()) {
            discardBody(ctx);
            answer.reject(Rejection.of(Fault.WRONG_METHOD, "validation: " + in.method() + " not allowed on " + in.path()),
                    Throttle.unlimited());
            return;
        }
        Rejection refused = checkCredential(dialect, in, exchange);
        if (refused == null) {
            refused = dialect.checkHeaders(in);
        }
        if (refused != null) {
            discardBody(ctx);
        }
        ChatCall call = null;
        Route route = where.route();
        if (refused == null && route.takesBody()) {
            BodyOutcome body = readBody(ctx, in, dialect, route, exchange);
            refused = body.rejection;
            call = body.call;
        }
        if (refused != null) {
            answer.reject(refused, Throttle.unlimited());
            return;
        }
        RequestFacts facts = new RequestFacts(dialect.provider(), in.method(), in.path(), exchange.model,
                exchange.keyFingerprint(), exchange.keyMask(), in.headers(), in.clientAddress());
        Injection injection = engine.decide(facts);
        if (injection != null) {
            answer.inject(injection, call);
            return;
        }
        if (route.kind() == Route.Kind.MODELS) {
            models(answer, dialect, in);
            return;
        }
        answer.success(call, Throttle.unlimited());
    }

    private Rejection checkCredential(Dialect dialect, IncomingRequest in, Exchange exchange) {
        String credential = dialect.credential(in);
        if (credential == null || credential.isEmpty()) {
            return Rejection.of(Fault.MISSING_TOKEN, "validation: no credential sent");
        }
        exchange.credential(credential);
        for (int i = 0; i < credential.length(); i++) {
            char c = credential.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                return Rejection.of(Fault.INVALID_TOKEN, "validation: malformed credential (white space or non-ASCII)");
            }
        }
        return null;
    }

    private record BodyOutcome(ChatCall call, Rejection rejection) {
        static BodyOutcome refused(Rejection r) {
            return new BodyOutcome(null, r);
        }
    }

    private BodyOutcome readBody(Context ctx, IncomingRequest in, Dialect dialect, Route route, Exchange exchange)
            throws IOException {
        long max = settings.maxBodyBytes();
        long declared = ctx.req().getContentLengthLong();
        byte[] bytes = declared > max ? null : readAtMost(ctx.req().getInputStream(), max);
        if (bytes == null) {
            long size = Math.max(declared, max + 1);
            return BodyOutcome.refused(Rejection.of(Fault.MALFORMED_BODY, "too_large",
                    Vars.of("size", String.valueOf(size), "maxSize", String.valueOf(max)),
                    "validation: body larger than " + max + " bytes"));
        }
        exchange.rawBody = new String(bytes, StandardCharsets.UTF_8);
        if (!isJsonContentType(in.contentType())) {
            return BodyOutcome.refused(Rejection.of(Fault.MALFORMED_BODY, "content_type",
                    Vars.of("contentType", in.contentType()), "validation: content type " + in.contentType()));
        }
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            String detail = exchange.scrub(e.getOriginalMessage()); // the parser quotes what it choked on: maybe the key
            return BodyOutcome.refused(Rejection.of(Fault.MALFORMED_BODY, "", Vars.of("detail", detail),
                    "validation: invalid JSON: " + detail));
        }
        if (body == null || body.isMissingNode()) {
            return BodyOutcome.refused(Rejection.of(Fault.MALFORMED_BODY, "", Vars.of("detail", "empty body"),
                    "validation: empty body"));
        }
        if (body.isObject()) {
            JsonNode model = body.get("model");
            exchange.model = model != null && model.isTextual() ? model.asText() : null;
        }
        Rejection invalid = dialect.checkBody(route, body);
        if (invalid != null) {
            return BodyOutcome.refused(invalid);
        }
        exchange.stream = dialect.wantsStream(body);
        return new BodyOutcome(new ChatCall(body, exchange.model, exchange.stream, dialect.wantsStreamUsage(body),
                TokenCounter.promptTokens(body)), null);
    }

    /**
     * Reads the rest of a body that will not be looked at (up to the size limit). Answering while the client
     * is still sending makes Jetty close the connection with unread bytes, which the client's kernel turns
     * into a reset that can swallow the answer: a 401 would reach the client as an IO error.
     */
    private void discardBody(Context ctx) {
        try {
            InputStream in = ctx.req().getInputStream();
            byte[] buffer = new byte[8192];
            long left = settings.maxBodyBytes() + 1;
            for (int n = 0; n >= 0 && left > 0; left -= n) {
                n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            }
        } catch (IOException clientGone) {
            // nothing to keep usable
        }
    }

    /** The body, or null when it is longer than {@code max}. */
    private static byte[] readAtMost(InputStream in, long max) throws IOException {
        byte[] bytes = in.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 8));
        return bytes.length > max ? null : bytes;
    }

    /** JSON or no declared type (lenient, as curl users often forget it); anything else is refused. */
    private static boolean isJsonContentType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return true;
        }
        String media = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return media.equals("application/json") || media.endsWith("+json");
    }

    private void models(Responder answer, Dialect dialect, IncomingRequest in) {
        List<String> models = settings.models().getOrDefault(dialect.provider(), List.of());
        byte[] body = dialect.modelsResponse(in.path(), models);
        if (body == null) {
            String id = in.path().substring(in.path().lastIndexOf('/') + 1);
            answer.reject(Rejection.of(Fault.MODEL_NOT_FOUND, "", Vars.of("model", id), "validation: unknown model " + id),
                    Throttle.unlimited());
            return;
        }
        answer.json(200, body);
    }

    private static Map<String, String> responseHeaders(HttpServletResponse res) {
        Map<String, String> headers = new HashMap<>();
        for (String name : res.getHeaderNames()) {
            headers.putIfAbsent(name.toLowerCase(Locale.ROOT), res.getHeader(name));
        }
        return headers;
    }

    private static Map<String, String> headers(HttpServletRequest req) {
        Map<String, String> headers = new HashMap<>();
        Enumeration<String> names = req.getHeaderNames();
        while (names.hasMoreElements()) {
            String name = names.nextElement();
            Enumeration<String> values = req.getHeaders(name);
            String value = values.nextElement();
            while (values.hasMoreElements()) {
                value = value + ", " + values.nextElement();
            }
            headers.merge(name.toLowerCase(Locale.ROOT), value, (a, b) -> a + ", " + b);
        }
        return headers;
    }

}
