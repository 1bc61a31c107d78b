package dev.llmfault.server.internal.proxy;

import dev.llmfault.server.Provider;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Locale;

/**
 * Where one provider's traffic is forwarded in proxy mode, and which credential the proxy sends there.
 *
 * <pre>{@code
 * Upstream up = Upstream.parse("OPENAI=https://api.openai.com");   // the client's own key is forwarded
 * Upstream withKey = up.withKeyFromEnv("OPENAI_API_KEY");            // the proxy's key replaces the client's
 * }</pre>
 *
 * @param provider the provider whose requests go there
 * @param base     scheme, host, port and an optional path prefix; the request's path is appended to it
 * @param keyEnv   name of the environment variable holding the key the proxy sends instead of the client's,
 *                 or null to forward the client's own credential. Only the name is kept, never the key.
 */
public record Upstream(Provider provider, URI base, String keyEnv) {

    public Upstream {
        if (provider == null) throw new IllegalArgumentException("proxy: provider is required");
        check(base);
        if (keyEnv != null && !keyEnv.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("proxy." + provider + ".keyEnv: '" + keyEnv
                    + "' is not an environment variable name (letters, digits and _)");
        }
    }

    /**
     * Parses {@code PROVIDER=URL}, as given to {@code --proxy}.
     *
     * @throws IllegalArgumentException naming what is wrong and the allowed values
     */
    public static Upstream parse(String spec) {
        int eq = spec == null ? -1 : spec.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("proxy: '" + spec + "' is not PROVIDER=URL, e.g. OPENAI=https://api.openai.com");
        }
        String name = spec.substring(0, eq).trim().toUpperCase(Locale.ROOT);
        Provider provider;
        try {
            provider = Provider.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("proxy: provider '" + spec.substring(0, eq).trim() + "' is not one of "
                    + Arrays.toString(Provider.values()));
        }
        return new Upstream(provider, uri(provider, spec.substring(eq + 1).trim()), null);
    }

    static URI uri(Provider provider, String text) {
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("proxy." + provider + ".url: '" + text + "' is not a URL: " + e.getReason());
        }
    }

    private static void check(URI base) {
        String where = "proxy url";
        if (base == null) throw new IllegalArgumentException(where + ": is required");
        String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException(where + ": '" + base + "' must start with https:// or http://");
        }
        if (base.getHost() == null || base.getHost().isEmpty()) {
            throw new IllegalArgumentException(where + ": '" + base + "' has no host");
        }
        if (base.getRawUserInfo() != null) {
            throw new IllegalArgumentException(where + ": '" + base.getScheme() + "://***@" + base.getHost()
                    + "' carries credentials in the URL; use keyEnv instead");
        }
        if (base.getRawQuery() != null || base.getRawFragment() != null) {
            throw new IllegalArgumentException(where + ": '" + base + "' must not have a query or fragment");
        }
    }

    public Upstream withKeyFromEnv(String envName) {
        return new Upstream(provider, base, envName);
    }

    /** The upstream URL of a request to the fake server's {@code path} and {@code query}. */
    public URI target(String path, String query) {
        String prefix = base.getRawPath() == null ? "" : base.getRawPath();
        if (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        String s = base.getScheme() + "://" + base.getRawAuthority() + prefix + path + (query == null || query.isEmpty() ? "" : "?" + query);
        return URI.create(s);
    }

    @Override
    public String toString() {
        return provider + "=" + base + (keyEnv == null ? "" : " (key from $" + keyEnv + ")");
    }
}
