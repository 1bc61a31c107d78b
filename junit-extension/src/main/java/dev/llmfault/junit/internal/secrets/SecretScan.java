package dev.llmfault.junit.internal.secrets;

import dev.llmfault.server.Credentials;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds credentials in text: a known secret whole or as a fragment of {@value #FRAGMENT} characters of its
 * secret part, a credential the client sent (matched by fingerprint), a token the fake server issued or a key the
 * kit generated (recognised by shape), each in plain text, URL-encoded or Base64.
 *
 * <pre>{@code
 * List<SecretScan.Finding> found = SecretScan.scan(line, secrets);
 * String shown = SecretScan.masked(line, found); // "... key [secret sk-te***cdef] ..."
 * }</pre>
 *
 * <p>The "secret part" of a key is what follows its public prefix ({@code sk-proj-}, {@code llmfat_}), of a JWT its
 * signature, of a Zhipu {@code id.secret} key the secret: so a mask ({@code sk-te***cdef}), a key id or a JWT
 * header never counts as a fragment.
 */
public final class SecretScan {
    /** Characters of a secret part that make a fragment a leak: more than any mask shows. */
    static final int FRAGMENT = 10;

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]{16,}=*");
    private static final Pattern URL_ENCODED = Pattern.compile("[A-Za-z0-9._~+/%=:-]*%[0-9A-Fa-f]{2}[A-Za-z0-9._~+/%=:-]*");
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/_-]{16,}={0,2}");
    private static final Pattern ISSUED_TOKEN = Pattern.compile("llmf(?:at|rt)_[A-Za-z0-9_-]{8,}");
    private static final Pattern KIT_KEY = Pattern.compile("sk-llmfault-[0-9a-f]{10,}");

    /**
     * One credential found.
     *
     * @param what  what it is ("the test's API key (@LlmApiKey)")
     * @param mask  the credential, masked
     * @param whole true when the whole credential is there, false for a fragment
     * @param form  "plain text", "URL-encoded text" or "Base64"
     * @param start where it starts in the scanned text
     * @param end   where it ends
     */
    public record Finding(String what, String mask, boolean whole, String form, int start, int end) {
        /** {@code the test's API key sk-ll***9f3a, whole, in plain text}. */
        public String describe() {
            return what + " " + mask + ", " + (whole ? "whole" : "a fragment") + ", in " + form;
        }
    }

    private SecretScan() {
    }

    public static List<Finding> scan(String text, KnownSecrets secrets) {
        // whole secrets in plain text first, then encoded ones, then fragments: each span is reported once, as
        // the most telling of what it is
        List<Finding> found = new ArrayList<>();
        whole(text, secrets, "plain text", 0, found);
        encoded(text, secrets, URL_ENCODED, "URL-encoded text", found);
        encoded(text, secrets, BASE64, "Base64", found);
        partial(text, secrets, "plain text", 0, found);
        found.sort(Comparator.comparingInt(Finding::start));
        return found;
    }

    /** The text with every finding replaced by {@code [secret MASK]}. */
    public static String masked(String text, List<Finding> findings) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        for (Finding f : findings) {
            if (f.start() < at) {
                continue;
            }
            out.append(text, at, f.start()).append("[secret ").append(f.mask()).append(']');
            at = f.end();
        }
        return out.append(text.substring(at)).toString();
    }

    private static List<Finding> plain(String text, KnownSecrets secrets, String form, int offset) {
        List<Finding> found = new ArrayList<>();
        whole(text, secrets, form, offset, found);
        partial(text, secrets, form, offset, found);
        return found;
    }

    private static void whole(String text, KnownSecrets secrets, String form, int offset, List<Finding> found) {
        for (Map.Entry<String, String> s : secrets.clear().entrySet()) {
            String secret = s.getKey();
            if (secret.length() < 4) {
                continue;
            }
            for (int i = text.indexOf(secret); i >= 0; i = text.indexOf(secret, i + secret.length())) {
                add(found, new Finding(s.getValue(), Credentials.mask(secret), true, form, offset + i, offset + i + secret.length()));
            }
        }
        Matcher token = TOKEN.matcher(text);
        while (token.find()) {
            String t = trimPadding(token.group());
            String what = secrets.fingerprints().get(Credentials.fingerprint(t));
            if (what == null && !t.equals(token.group())) {
                what = secrets.fingerprints().get(Credentials.fingerprint(token.group()));
            }
            if (what != null) {
                add(found, new Finding(what, Credentials.mask(t), true, form, offset + token.start(), offset + token.end()));
            }
        }
    }

    private static void partial(String text, KnownSecrets secrets, String form, int offset, List<Finding> found) {
        fragments(text, secrets, form, offset, found);
        shaped(text, ISSUED_TOKEN, "a token issued by the fake server", form, offset, found);
        shaped(text, KIT_KEY, "an API key the kit generated for a test", form, offset, found);
    }

    private static void fragments(String text, KnownSecrets secrets, String form, int offset, List<Finding> found) {
        Map<String, String> windows = new HashMap<>(); // 10 characters of a secret part -> the secret
        for (String secret : secrets.clear().keySet()) {
            String part = secretPart(secret);
            for (int i = 0; i + FRAGMENT <= part.length(); i++) {
                windows.putIfAbsent(part.substring(i, i + FRAGMENT), secret);
            }
        }
        if (windows.isEmpty()) {
            return;
        }
        for (int i = 0; i + FRAGMENT <= text.length(); i++) {
            String secret = windows.get(text.substring(i, i + FRAGMENT));
            if (secret == null) {
                continue;
            }
            int start = i;
            int end = i + FRAGMENT;
            while (end < text.length() && secret.contains(text.substring(start, end + 1))) {
                end++;
            }
            while (start > 0 && secret.contains(text.substring(start - 1, end))) {
                start--; // the public prefix too, so the masked excerpt hides the whole fragment
            }
            if (add(found, new Finding(secrets.clear().get(secret), Credentials.mask(secret), false, form, offset + start, offset + end))) {
                i = end - 1;
            }
        }
    }

    private static void shaped(String text, Pattern shape, String what, String form, int offset, List<Finding> found) {
        Matcher m = shape.matcher(text);
        while (m.find()) {
            add(found, new Finding(what, Credentials.mask(m.group()), true, form, offset + m.start(), offset + m.end()));
        }
    }

    private static void encoded(String text, KnownSecrets secrets, Pattern run, String form, List<Finding> found) {
        Matcher m = run.matcher(text);
        while (m.find()) {
            String decoded = form.equals("Base64") ? base64(m.group()) : urlDecoded(m.group());
            if (decoded == null || decoded.equals(m.group())) {
                continue;
            }
            for (Finding f : plain(decoded, secrets, form, 0)) {
                add(found, new Finding(f.what(), f.mask(), f.whole(), form, m.start(), m.end()));
            }
        }
    }

    /** Adds a finding unless it overlaps one already found; true when added. */
    private static boolean add(List<Finding> found, Finding f) {
        for (Finding other : found) {
            if (f.start() < other.end() && other.start() < f.end()) {
                return false;
            }
        }
        found.add(f);
        return true;
    }

    /** What of a secret must not leak: its part after a public prefix, a JWT's signature, a Zhipu key's secret. */
    static String secretPart(String secret) {
        if (secret.startsWith("eyJ") && secret.chars().filter(c -> c == '.').count() == 2) {
            return secret.substring(secret.lastIndexOf('.') + 1);
        }
        int dot = secret.indexOf('.');
        if (dot > 0 && dot == secret.lastIndexOf('.') && secret.length() - dot - 1 >= FRAGMENT) {
            return secret.substring(dot + 1);
        }
        int cut = -1;
        for (int i = 0; i < Math.min(20, secret.length()); i++) {
            char c = secret.charAt(i);
            if ((c == '-' || c == '_') && secret.length() - i - 1 >= 12) {
                cut = i;
            }
        }
        return secret.substring(cut + 1);
    }

    private static String trimPadding(String token) {
        int end = token.length();
        while (end > 0 && token.charAt(end - 1) == '=') {
            end--;
        }
        return token.substring(0, end);
    }

    private static String urlDecoded(String run) {
        try {
            return URLDecoder.decode(run, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String base64(String run) {
        String s = trimPadding(run).replace('-', '+').replace('_', '/');
        if (s.length() % 4 == 1) {
            s = s.substring(0, s.length() - 1);
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(s + "==".substring(0, (4 - s.length() % 4) % 4));
            int printable = 0;
            for (byte b : bytes) {
                if (b >= 0x20 && b < 0x7f) {
                    printable++;
                }
            }
            // random bytes are not text: skip them, so a hex key that happens to decode does not match by chance
            return printable * 10 >= bytes.length * 9 ? new String(bytes, StandardCharsets.ISO_8859_1) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
