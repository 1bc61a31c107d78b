package dev.llmfault.server.internal.http;

import dev.llmfault.server.Fault;
import dev.llmfault.server.internal.dialect.IncomingRequest;
import dev.llmfault.server.internal.journal.BoundedJournal;
import dev.llmfault.server.internal.json.Json;
import dev.llmfault.server.internal.policy.OAuthTokenService;
import dev.llmfault.server.internal.policy.PolicyEngine;
import io.javalin.http.Context;
import io.javalin.http.Handler;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code POST /oauth/token}: form-encoded in, JSON out, journaled like provider calls (with no provider)
 * and with every secret of the form masked. Its journal entry's credential is the client secret (else the
 * refresh token it presents), and its token owner the grant's, so a test scoped to the key it sends as client
 * secret sees its token requests.
 */
final class OAuthTokenEndpoint implements Handler {
    static final String PATH = "/oauth/token";

    private final OAuthTokenService service;
    private final BoundedJournal journal;

    OAuthTokenEndpoint(PolicyEngine policies, BoundedJournal journal) {
        this.service = new OAuthTokenService(policies);
        this.journal = journal;
    }

    @Override
    public void handle(Context ctx) {
        IncomingRequest in = new IncomingRequest(ctx.req().getMethod(), ctx.path(), ctx.queryString(),
                ProviderPipeline.headers(ctx.req()), ctx.contentType(), ctx.req().getRemoteAddr());
        Exchange exchange = Exchange.arrived(journal, Exchange.jetty(ctx.req()), in);
        exchange.formBody = true;
        try {
            String body = ctx.body();
            exchange.rawBody = body;
            String[] basic = basic(ctx.header("Authorization"));
            Map<String, String> form = form(body);
            // the request's own credential: the client secret, else the refresh token it presents
            String credential = basic != null ? basic[1] : form.containsKey("client_secret") ? form.get("client_secret")
                    : form.get("refresh_token");
            if (credential != null && !credential.isEmpty()) {
                exchange.credential(credential);
            }
            OAuthTokenService.Answer answer = service.token(form, basic == null ? null : basic[0],
                    basic == null ? null : basic[1]);
            exchange.tokenOwner = answer.owner();
            if (answer.status() != 200) {
                exchange.fault(answer.badClient() ? Fault.INVALID_TOKEN : Fault.MALFORMED_BODY, answer.reason(), null);
            } else {
                exchange.faultReason = answer.reason();
            }
            exchange.status = answer.status();
            ctx.status(answer.status());
            ctx.header("Cache-Control", "no-store");
            if (answer.badClient()) {
                ctx.header("WWW-Authenticate", "Basic realm=\"llmfault\"");
            }
            ctx.contentType("application/json");
            exchange.record(ctx.res());
            ctx.result(Json.bytes(answer.body()));
        } finally {
            exchange.record(ctx.res());
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new HashMap<>();
        if (body == null || body.isBlank()) {
            return form;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            form.putIfAbsent(name, value);
        }
        return form;
    }

    /** {id, secret} of an HTTP Basic header, or null. */
    private static String[] basic(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return null;
            }
            return new String[] {URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                    URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)};
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
