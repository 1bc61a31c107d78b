package dev.llmfault.server.internal.remote;

/**
 * The part of a shared server that one handle sees: the requests sent with one API key (known only by its
 * SHA-256 fingerprint) and the scenarios that match it. Lets parallel tests share a server without seeing
 * each other.
 *
 * @param fingerprint SHA-256 of the key, 64 lower-case hex digits
 * @param mask        the masked key, for display only
 */
record KeyScope(String fingerprint, String mask) {
}
