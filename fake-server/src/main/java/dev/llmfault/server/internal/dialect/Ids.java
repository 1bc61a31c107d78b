package dev.llmfault.server.internal.dialect;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Ids in the providers' formats, random or seeded; ids need no security, only uniqueness. */
final class Ids {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final char[] LOWER = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private Ids() {
    }

    static String hex(String prefix, int length) {
        return random(prefix, length, HEX);
    }

    static String base62(String prefix, int length) {
        return random(prefix, length, BASE62);
    }

    /**
     * An id from a seed: the same seed gives the same id on every run (tool call ids a test can predict and a
     * retried request gets again).
     */
    static String seeded(String prefix, int length, long seed) {
        return seeded(prefix, length, BASE62, seed);
    }

    /** {@link #seeded(String, int, long)} in lower-case letters and digits (Ollama's and Cohere's ids). */
    static String seededLower(String prefix, int length, long seed) {
        return seeded(prefix, length, LOWER, seed);
    }

    private static String seeded(String prefix, int length, char[] alphabet, long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        char[] out = new char[prefix.length() + length];
        prefix.getChars(0, prefix.length(), out, 0);
        for (int i = prefix.length(); i < out.length; i++) {
            out[i] = alphabet[r.nextInt(alphabet.length)];
        }
        return new String(out);
    }

    /** Lower-case letters and digits (Ollama's {@code call_} ids, Cohere's tool call ids). */
    static String lowerAlnum(String prefix, int length) {
        return random(prefix, length, LOWER);
    }

    static String uuid() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return new UUID(r.nextLong(), r.nextLong()).toString();
    }

    private static String random(String prefix, int length, char[] alphabet) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        char[] out = new char[prefix.length() + length];
        prefix.getChars(0, prefix.length(), out, 0);
        for (int i = prefix.length(); i < out.length; i++) {
            out[i] = alphabet[r.nextInt(alphabet.length)];
        }
        return new String(out);
    }
}
