package dev.llmfault.server.secrets;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A planted secret and the test of whether any output gives it away. A mask may keep a short prefix and
 * the last 4 characters; anything that keeps 8 consecutive characters of the secret's middle leaks it.
 */
record Canary(String secret) {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    static final int WINDOW = 8;

    /** A key with the given prefix and 40 random letters and digits. */
    static Canary key(String prefix) {
        StringBuilder b = new StringBuilder(prefix);
        for (int i = 0; i < 40; i++) {
            b.append(ALNUM.charAt(RANDOM.nextInt(ALNUM.length())));
        }
        return new Canary(b.toString());
    }

    /** A JWT shaped like Zhipu's: HS256 header, a payload with a random api_key, a random signature. */
    static Canary jwt() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"HS256\",\"sign_type\":\"SIGN\"}".getBytes(StandardCharsets.UTF_8));
        String payload = b64.encodeToString(("{\"api_key\":\"" + key("id").secret() + "\",\"exp\":1900000000000}")
                .getBytes(StandardCharsets.UTF_8));
        byte[] sig = new byte[32];
        RANDOM.nextBytes(sig);
        return new Canary(header + "." + payload + "." + b64.encodeToString(sig));
    }

    /** Every window of the secret that no output may contain (a prefix of 5 and the last 4 may show). */
    List<String> windows() {
        List<String> out = new ArrayList<>();
        String middle = secret.substring(5, secret.length() - 4);
        for (int i = 0; i + WINDOW <= middle.length(); i++) {
            out.add(middle.substring(i, i + WINDOW));
        }
        return out;
    }

    /** The first window of the secret found in the text, or null when the text gives nothing away. */
    String leakIn(String text) {
        if (text == null) {
            return null;
        }
        for (String w : windows()) {
            if (text.contains(w)) {
                return w;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "Canary[" + secret.substring(0, 5) + "...]";
    }
}
