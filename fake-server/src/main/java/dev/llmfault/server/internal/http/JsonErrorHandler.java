package dev.llmfault.server.internal.http;

import dev.llmfault.server.Fault;
import dev.llmfault.server.internal.catalogue.FaultCatalogue;
import dev.llmfault.server.internal.catalogue.Rendering;
import dev.llmfault.server.internal.catalogue.Vars;
import dev.llmfault.server.internal.dialect.Dialect;
import dev.llmfault.server.internal.dialect.Dialects;
import dev.llmfault.server.internal.dialect.IncomingRequest;
import dev.llmfault.server.internal.journal.BoundedJournal;
import dev.llmfault.server.internal.json.Json;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The answers Jetty gives by itself, before a request reaches the routes: a path above {@code /}, a {@code %00}
 * in the path, {@code CONNECT}, headers over 8 KiB, the 503 of a graceful stop. Instead of Jetty's HTML page,
 * a provider's error body (the provider told from the path, as for any unknown path) or, under
 * {@code /__admin}, the admin API's JSON error; provider requests are journaled with the reason, so a client
 * that met one of these can see why.
 */
final class JsonErrorHandler extends ErrorHandler {
    /** Why Jetty answered, as the journal's fault reason. */
    static final String REASON = "refused by the HTTP layer: ";
    /** The path Jetty gives a request it could not parse: the real one is lost. */
    private static final String BAD_MESSAGE_PATH = "/badMessage";

    private final BoundedJournal journal;
    private final Dialects dialects;

    JsonErrorHandler(BoundedJournal journal, Dialects dialects) {
        this.journal = journal;
        this.dialects = dialects;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        if (cause instanceof ConnectionAborter.Aborted) {
            callback.failed(cause); // a scenario's cut or reset: no one to answer, and the journal has the exchange
            return;
        }
        int status = code >= 400 ? code : HttpStatus.INTERNAL_SERVER_ERROR_500;
        String why = message != null ? message : cause != null && cause.getMessage() != null ? cause.getMessage()
                : HttpStatus.getMessage(status);
        IncomingRequest in = incoming(request);
        if (in.path().equals(BAD_MESSAGE_PATH)) {
            why = "the request line could not be read: " + why;
            in = new IncomingRequest(in.method(), "/", null, in.headers(), in.contentType(), in.clientAddress());
        }
        String text = HttpStatus.getMessage(status) + ": " + why;
        byte[] body;
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        if (in.path().startsWith(AdminApi.PREFIX)) {
            body = Json.bytes(AdminApi.error(text, null));
        } else {
            Dialect dialect = dialects.resolve(in).dialect();
            Fault fault = status >= 500 ? Fault.SERVER_ERROR : Fault.MALFORMED_BODY;
            Rendering r = FaultCatalogue.get().lookup(fault, dialect.provider());
            Rendering shaped = new Rendering(fault, dialect.provider(), r.variant(), status, r.type(), r.code(),
                    r.param(), text, Map.of(), false, r.verified());
            String requestId = dialect.newRequestId();
            body = dialect.errorBody(shaped, new Vars(), text, requestId);
            response.getHeaders().put(dialect.requestIdHeader(), requestId);
            Exchange exchange = Exchange.arrived(journal, request, in);
            exchange.provider = dialect.provider();
            exchange.alias = dialect.alias();
            String credential = dialect.credential(in);
            if (credential != null) {
                exchange.credential(credential);
            }
            exchange.fault(fault, REASON + why, null);
            exchange.status = status;
            Map<String, String> headers = new LinkedHashMap<>();
            for (HttpField f : response.getHeaders()) {
                headers.put(f.getLowerCaseName(), f.getValue());
            }
            exchange.record(headers);
        }
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** What can be read of a request Jetty refused: its path may be above the root or hold a NUL. */
    private static IncomingRequest incoming(Request request) {
        HttpURI uri = request.getHttpURI();
        String path;
        try {
            path = uri == null ? null : uri.getPath();
        } catch (RuntimeException e) {
            path = null;
        }
        if (path == null || path.isEmpty()) {
            path = uri == null || uri.getCanonicalPath() == null ? "/" : uri.getCanonicalPath();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (HttpField f : request.getHeaders()) {
            headers.putIfAbsent(f.getLowerCaseName(), f.getValue());
        }
        String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        return new IncomingRequest(request.getMethod() == null ? "GET" : request.getMethod().toUpperCase(Locale.ROOT),
                path, uri == null ? null : uri.getQuery(), headers, contentType, Request.getRemoteAddr(request));
    }
}
