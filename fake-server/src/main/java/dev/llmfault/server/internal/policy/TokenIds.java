package dev.llmfault.server.internal.policy;

import java.security.SecureRandom;
import java.util.Base64;

/** Unguessable token values; SecureRandom because tokens are credentials even in a fake. */
final class TokenIds {
    private static final SecureRandom RANDOM = new SecureRandom();

    private TokenIds() {
    }

    static String access() {
        return "llmfat_" + random(24);
    }

    static String refresh() {
        return "llmfrt_" + random(24);
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
