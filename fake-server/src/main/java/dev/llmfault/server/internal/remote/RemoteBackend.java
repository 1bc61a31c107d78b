package dev.llmfault.server.internal.remote;

import dev.llmfault.server.Policies;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Replies;
import dev.llmfault.server.RequestJournal;
import dev.llmfault.server.Scenarios;
import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.internal.ServerBackend;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A standalone server driven through its admin API: the journal through {@code GET /__admin/requests},
 * the scenarios through {@code POST/GET/DELETE /__admin/scenarios}, the reply rules through
 * {@code /__admin/replies}, the policies through
 * {@code /__admin/policies}, reset through {@code POST /__admin/reset}.
 *
 * <p>The URL may carry a scope, {@code ?apiKeyFingerprint=<sha-256 hex>[&apiKeyMask=<mask>]}: the handle then
 * sees only the requests sent with that key, adds scenarios that match only that key, and its reset removes
 * only its own scenarios and hides only its own requests. With {@code ?view=own} instead, the handle sees every
 * key's requests but only those that arrive after it connects, and its reset likewise removes only the
 * scenarios it added and hides the requests seen so far: what others set up on a shared server stays.
 * Closing a handle never stops the remote server.
 */
public final class RemoteBackend implements ServerBackend {
    static final List<String> URL_PARAMETERS = List.of("apiKeyFingerprint", "apiKeyMask", "view");

    private final URI root;
    private final AdminClient admin;
    private final RemoteJournal journal;
    private final RemoteScenarios scenarios;
    private final RemoteReplies replies;
    private final RemotePolicies policies;
    private final KeyScope scope;
    /** True when reset and clear touch only this handle's part: with a key scope, or {@code view=own}. */
    private final boolean ownView;

    private RemoteBackend(URI root, KeyScope scope, boolean ownView, String token) {
        this.root = root;
        this.scope = scope;
        this.ownView = ownView;
        this.admin = new AdminClient(root, token);
        this.journal = new RemoteJournal(admin, scope, ownView);
        this.scenarios = new RemoteScenarios(admin, scope, ownView);
        this.replies = new RemoteReplies(admin, scope, ownView);
        this.policies = new RemotePolicies(admin, scope);
    }

    /**
     * Connects and checks that an LLM Fault Kit server answers its health check there.
     *
     * @param token the admin token to send, or null
     */
    public static RemoteBackend connect(URI url, String token) {
        if (token != null && token.isBlank()) {
            throw new IllegalArgumentException("token: invalid value '', expected the server's admin token or none");
        }
        if (url == null) {
            throw new IllegalArgumentException("url: is required, for example http://127.0.0.1:8089");
        }
        String scheme = url.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
            throw invalid(url, "an http:// or https:// URL, for example http://127.0.0.1:8089");
        }
        if (url.getHost() == null) {
            throw invalid(url, "a URL with a host, for example http://127.0.0.1:8089");
        }
        if (url.getRawPath() != null && !url.getRawPath().isEmpty() && !url.getRawPath().equals("/")) {
            throw invalid(url, "the server's root URL without a path (the admin API lives under /__admin)");
        }
        Map<String, String> params = parameters(url);
        KeyScope scope = scope(params);
        String view = params.get("view");
        if (view != null && !view.equals("own")) {
            throw new IllegalArgumentException("url: view: invalid value '" + view + "', expected 'own' (a handle that"
                    + " sees and resets only what it adds, and the requests after it connects)");
        }
        URI root;
        try {
            root = new URI(scheme.toLowerCase(java.util.Locale.ROOT), null, url.getHost(), url.getPort(), null, null, null);
        } catch (URISyntaxException e) {
            throw invalid(url, "a valid URL");
        }
        RemoteBackend backend = new RemoteBackend(root, scope, scope != null || view != null, token);
        String status = backend.admin.get("/health").body().path("status").asText();
        if (!"UP".equals(status)) {
            throw new IllegalStateException("the LLM Fault Kit server at " + root + " is not up (health status '"
                    + status + "')");
        }
        if (view != null) {
            backend.journal.clear(); // the view starts now
        }
        return backend;
    }

    private static Map<String, String> parameters(URI url) {
        Map<String, String> params = new LinkedHashMap<>();
        String query = url.getQuery();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                if (!URL_PARAMETERS.contains(name)) {
                    throw new IllegalArgumentException("url: unknown parameter '" + name + "', allowed: " + URL_PARAMETERS);
                }
                params.put(name, eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1),
                        java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    private static KeyScope scope(Map<String, String> params) {
        String fingerprint = params.get("apiKeyFingerprint");
        if (fingerprint == null) {
            if (params.containsKey("apiKeyMask")) {
                throw new IllegalArgumentException("url: apiKeyMask needs apiKeyFingerprint");
            }
            return null;
        }
        if (!fingerprint.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("url: apiKeyFingerprint: invalid value '" + fingerprint
                    + "', expected 64 lower-case hex digits (SHA-256)");
        }
        return new KeyScope(fingerprint, params.getOrDefault("apiKeyMask", "***"));
    }

    private static IllegalArgumentException invalid(URI url, String expected) {
        return new IllegalArgumentException("url: invalid value '" + url + "', expected " + expected);
    }

    @Override
    public URI baseUrl(Provider provider) {
        return URI.create(root + provider.basePath());
    }

    /** Asks the server (its health answer lists the aliases), so a standalone server's --alias works here too. */
    @Override
    public URI baseUrl(String alias) {
        JsonNode aliases = admin.get("/health").body().path("aliases");
        JsonNode url = alias == null ? null : aliases.get(alias);
        if (url == null || !url.isTextual()) {
            List<String> names = new java.util.ArrayList<>();
            aliases.fieldNames().forEachRemaining(names::add);
            throw new IllegalArgumentException("alias: no alias " + (alias == null ? "null" : "'" + alias + "'")
                    + " on the server at " + root + ", which has " + (names.isEmpty() ? "none (see --alias)" : names));
        }
        return URI.create(root + URI.create(url.asText()).getRawPath()); // this handle's host, the server's path
    }

    @Override
    public URI url() {
        return root;
    }

    @Override
    public int port() {
        if (root.getPort() >= 0) {
            return root.getPort();
        }
        return "https".equals(root.getScheme()) ? 443 : 80;
    }

    @Override
    public RequestJournal journal() {
        return journal;
    }

    @Override
    public Scenarios scenarios() {
        return scenarios;
    }

    @Override
    public Replies replies() {
        return replies;
    }

    /** Server-wide: a scoped handle may read them but not change them. */
    @Override
    public Policies policies() {
        return policies;
    }

    /** Whole server: {@code POST /__admin/reset}. Scoped or own view: only this handle's scenarios and requests. */
    @Override
    public void reset() {
        if (!ownView) {
            admin.post("/reset", com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode());
            return;
        }
        scenarios.clear();
        replies.clear();
        journal.clear();
    }

    /** A handle owns no server: closing it leaves the remote server running. */
    @Override
    public void close() {
        // nothing to free: the HTTP client is shared by every handle of the JVM
    }

    @Override
    public String toString() {
        return "remote " + root + (scope != null ? " (key " + scope.mask() + ")" : ownView ? " (own view)" : "");
    }
}
