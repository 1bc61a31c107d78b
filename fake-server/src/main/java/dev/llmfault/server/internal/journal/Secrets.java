package dev.llmfault.server.internal.journal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one masking function of the server: every credential that leaves it (journal, logs, admin answers,
 * error messages) passes through here. A mask keeps the scheme, a short prefix and the last 4 characters,
 * the way OpenAI shows keys ({@code sk-ab***cdef}); short secrets keep less so the mask never gives
 * the secret away.
 */
public final class Secrets {
    /** Header names (lower case) whose values are credentials. */
    public static final Set<String> CREDENTIAL_HEADERS = Set.of(
            "authorization", "proxy-authorization", "x-api-key", "api-key", "x-goog-api-key", "cookie", "x-admin-token",
            "x-amz-security-token");
    /** Query and form parameters whose values are credentials. */
    public static final Set<String> CREDENTIAL_PARAMS = Set.of(
            "key", "api_key", "apikey", "access_token", "refresh_token", "client_secret", "token", "password",
            "assertion", "code");

    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}");
    private static final HexFormat HEX = HexFormat.of();

    private Secrets() {
    }

    /** Masks a secret: {@code sk-proj-abcdef...wxyz} becomes {@code sk-pr***wxyz}. */
    public static String mask(String secret) {
        if (secret == null) {
            return null;
        }
        int n = secret.length();
        if (n >= 16) {
            return secret.substring(0, 5) + "***" + secret.substring(n - 4);
        }
        if (n >= 10) {
            return secret.substring(0, 2) + "***" + secret.substring(n - 2);
        }
        return "***";
    }

    /** Masks a header value, keeping the scheme ({@code Bearer sk-ab***cdef}). */
    public static String maskHeaderValue(String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.trim();
        int space = trimmed.indexOf(' ');
        if (space > 0 && space < 20 && isScheme(trimmed, space)) {
            return trimmed.substring(0, space) + " " + mask(trimmed.substring(space + 1).trim());
        }
        return mask(trimmed);
    }

    /** Whether the first {@code end} characters are letters and dashes (an auth scheme such as {@code Bearer}). */
    private static boolean isScheme(String text, int end) {
        // A loop, not String.matches: that compiles a regex on every call, and this runs on every request.
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** True when a header of this name carries a credential. */
    public static boolean isCredentialHeader(String name) {
        // most names arrive in lower case already (the pipeline's): no lower-casing scan for them
        return CREDENTIAL_HEADERS.contains(name) || CREDENTIAL_HEADERS.contains(name.toLowerCase(Locale.ROOT));
    }

    /** Masks every JWT found in free text (a token pasted into a message or a query). */
    public static String maskJwts(String text) {
        if (text == null || text.indexOf("eyJ") < 0) {
            return text;
        }
        Matcher m = JWT.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(mask(m.group())));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * What {@link #scrub(String, String)} looks for in a text besides a JWT: the secret (4 characters or more) and,
     * for a malformed one with white space in it, each of its parts of 8 or more. A text holding none of them and
     * no {@code eyJ} comes out of scrub unchanged, so a caller scrubbing many texts can find them once and skip.
     */
    public static List<String> needles(String secret) {
        if (secret == null) {
            return List.of();
        }
        List<String> needles = new ArrayList<>(1);
        if (secret.length() >= 4) {
            needles.add(secret);
        }
        if (hasWhitespace(secret)) {
            for (String part : secret.trim().split("\\s+")) {
                if (part.length() >= 8) {
                    needles.add(part);
                }
            }
        }
        return needles;
    }

    /** Whether {@link #scrub(String, String)} may change this text: it holds one of the needles or a JWT's start. */
    public static boolean mayHold(String text, List<String> needles) {
        if (text.contains("eyJ")) {
            return true;
        }
        for (String needle : needles) {
            if (text.contains(needle)) {
                return true;
            }
        }
        return false;
    }

    /** Replaces every occurrence of a known secret in text by its mask, then masks any JWT. */
    public static String scrub(String text, String secret) {
        if (text == null) {
            return null;
        }
        String out = text;
        if (secret != null && secret.length() >= 4 && out.contains(secret)) {
            out = out.replace(secret, mask(secret));
        }
        if (secret != null && hasWhitespace(secret)) {
            // A malformed credential ("KEY trailing"): the key inside it may appear on its own elsewhere.
            for (String part : secret.trim().split("\\s+")) {
                if (part.length() >= 8 && out.contains(part)) {
                    out = out.replace(part, mask(part));
                }
            }
        }
        return maskJwts(out);
    }

    /** A loop, not {@code chars().anyMatch}: a stream per call, and scrubbing runs several times per request. */
    private static boolean hasWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** Masks the credential parameters of a query or form string ({@code a=1&key=secret}). */
    public static String maskParams(String query) {
        if (query == null || query.isEmpty()) {
            return query;
        }
        StringBuilder out = new StringBuilder(query.length());
        for (String pair : query.split("&", -1)) {
            if (out.length() > 0) {
                out.append('&');
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            if (eq >= 0 && CREDENTIAL_PARAMS.contains(name.toLowerCase(Locale.ROOT))) {
                out.append(name).append('=').append(mask(pair.substring(eq + 1)));
            } else {
                out.append(pair);
            }
        }
        return maskJwts(out.toString());
    }

    /** A stable SHA-256 fingerprint (hex) of a secret, to match and query without keeping the secret. */
    public static String fingerprint(String secret) {
        MessageDigest sha = SHA_256.get();
        return HEX.formatHex(sha.digest(secret.getBytes(StandardCharsets.UTF_8))); // digest() also resets it
    }

    /** One digest per thread: MessageDigest.getInstance looks the provider up on every call, per request. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    });
}
