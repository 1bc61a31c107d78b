package dev.llmfault.samples;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks credentials before they reach a log line or an exception message: the first five characters and
 * the last four survive (enough to tell keys apart, as providers' own dashboards do), the rest becomes
 * {@code ***}. Short secrets are masked whole.
 *
 * <pre>{@code
 * KeyMask.mask("sk-test-1234567890abcd");  // "sk-te***abcd"
 * KeyMask.scrub("Bearer sk-test-1234567890abcd failed", "sk-test-1234567890abcd"); // "Bearer sk-te***abcd failed"
 * }</pre>
 */
public final class KeyMask {
    /** Things that look like credentials even when we were not told about them: bearer tokens, sk- keys, JWTs. */
    private static final Pattern LOOKS_SECRET = Pattern.compile(
            "(?i)(bearer\\s+)([A-Za-z0-9._~+/=-]{8,})"
                    + "|\\b(sk-[A-Za-z0-9_-]{8,})"
                    + "|\\b(eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*)");

    private KeyMask() {
    }

    /** The masked form of a secret; {@code null} stays {@code null}. */
    public static String mask(String secret) {
        if (secret == null) {
            return null;
        }
        if (secret.length() < 12) {
            return "***";
        }
        return secret.substring(0, 5) + "***" + secret.substring(secret.length() - 4);
    }

    /**
     * The text with every known secret, and everything that looks like a bearer token, an {@code sk-} key or
     * a JWT, replaced by its mask. Already masked values ({@code sk-te***abcd}) are left as they are.
     */
    public static String scrub(String text, String... knownSecrets) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : knownSecrets) {
            if (secret != null && !secret.isEmpty()) {
                out = out.replace(secret, mask(secret));
            }
        }
        Matcher m = LOOKS_SECRET.matcher(out);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group(2) != null) {
                replacement = m.group(1) + mask(m.group(2));
            } else {
                replacement = mask(m.group(3) != null ? m.group(3) : m.group(4));
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
