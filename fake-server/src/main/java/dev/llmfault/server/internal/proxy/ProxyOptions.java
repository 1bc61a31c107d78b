package dev.llmfault.server.internal.proxy;

import java.nio.file.Path;

/**
 * How the proxy talks to its upstreams.
 *
 * @param connectTimeoutMs   how long to wait for a connection
 * @param readTimeoutMs      how long to wait for the answer's headers
 * @param trustStore         a trust store (PKCS12 or JKS) for upstreams with a private CA, or null for the JDK's
 * @param trustStorePassword its password, or null
 */
public record ProxyOptions(long connectTimeoutMs, long readTimeoutMs, Path trustStore, char[] trustStorePassword) {
    public static final long DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
    public static final long DEFAULT_READ_TIMEOUT_MS = 600_000;

    public ProxyOptions {
        if (connectTimeoutMs < 1) throw new IllegalArgumentException("proxy.connectTimeoutMs: " + connectTimeoutMs + ", expected an integer >= 1");
        if (readTimeoutMs < 1) throw new IllegalArgumentException("proxy.readTimeoutMs: " + readTimeoutMs + ", expected an integer >= 1");
    }

    public static ProxyOptions defaults() {
        return new ProxyOptions(DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_READ_TIMEOUT_MS, null, null);
    }
}
