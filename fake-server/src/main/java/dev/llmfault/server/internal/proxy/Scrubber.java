package dev.llmfault.server.internal.proxy;

import dev.llmfault.server.internal.journal.Secrets;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Takes every secret out of what is written to a fixture file. Credential headers are dropped whole (a
 * replayed answer never needs them); in bodies, URLs and the remaining header values, anything shaped like
 * a key or a token is replaced by {@value #REPLACEMENT}, as is every value the user names as secret and every
 * match of the user's extra patterns.
 *
 * <pre>{@code
 * Scrubber s = Scrubber.withExtraPatterns(List.of("acct_[0-9]+"));
 * s.text("key sk-proj-abcdefghijklmnop0123 for acct_42")   // "key <scrubbed> for <scrubbed>"
 * }</pre>
 *
 * <p>Scrubbing is deliberately greedy: a fixture that lost a harmless id still replays; one that kept a
 * key leaks it into a repository.
 */
public final class Scrubber {
    static final String REPLACEMENT = "<scrubbed>";

    /**
     * Shapes of credentials: provider API keys (OpenAI {@code sk-}, Anthropic {@code sk-ant-}, Google
     * {@code AIza}), AWS access key ids and session tokens, JWTs (Zhipu, OAuth), a bearer token in free text,
     * and long random-looking hex or base64 runs.
     */
    private static final List<Pattern> BUILT_IN = List.of(
            Pattern.compile("\\bsk-[A-Za-z0-9_-]{8,}"),
            Pattern.compile("\\bAIza[0-9A-Za-z_-]{20,}"),
            Pattern.compile("\\b(?:AKIA|ASIA)[0-9A-Z]{12,}"),
            Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}"),
            Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]{8,}"),
            Pattern.compile("(?i)((?:api[_-]?key|access[_-]?token|client[_-]?secret|secret|password|token|key)"
                    + "\"?\\s*[:=]\\s*\"?)[^\"&\\s,}]{6,}"),
            Pattern.compile("\\b[A-Fa-f0-9]{40,}\\b"),
            Pattern.compile("\\b[A-Za-z0-9+/]{60,}={0,2}"));

    private final List<Pattern> patterns;

    private Scrubber(List<Pattern> patterns) {
        this.patterns = List.copyOf(patterns);
    }

    /** The built-in shapes only. */
    public static Scrubber defaults() {
        return new Scrubber(BUILT_IN);
    }

    /**
     * The built-in shapes plus the user's own regular expressions.
     *
     * @throws IllegalArgumentException naming the pattern that does not compile
     */
    public static Scrubber withExtraPatterns(List<String> extra) {
        List<Pattern> all = new ArrayList<>(BUILT_IN);
        for (int i = 0; i < extra.size(); i++) {
            try {
                all.add(Pattern.compile(extra.get(i)));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("scrubPatterns[" + i + "]: invalid regular expression '"
                        + extra.get(i) + "': " + e.getMessage());
            }
        }
        return new Scrubber(all);
    }

    /** Free text (a body, a URL, a header value) with every secret replaced. */
    public String text(String text, String... knownSecrets) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (String secret : knownSecrets) {
            if (secret != null && secret.length() >= 6) {
                out = out.replace(secret, REPLACEMENT);
            }
        }
        for (Pattern p : patterns) {
            Matcher m = p.matcher(out);
            if (!m.find()) {
                continue;
            }
            m.reset();
            StringBuilder sb = new StringBuilder(out.length());
            while (m.find()) {
                // Patterns with a leading group keep it ("Bearer ", "api_key=") so the fixture stays readable.
                String keep = m.groupCount() >= 1 && m.group(1) != null ? m.group(1) : "";
                m.appendReplacement(sb, Matcher.quoteReplacement(keep + REPLACEMENT));
            }
            m.appendTail(sb);
            out = sb.toString();
        }
        return out;
    }

    /** A query string with credential parameters dropped to the replacement and the rest scrubbed as text. */
    public String query(String query, String... knownSecrets) {
        if (query == null || query.isEmpty()) {
            return query;
        }
        StringBuilder out = new StringBuilder();
        for (String pair : query.split("&", -1)) {
            if (out.length() > 0) {
                out.append('&');
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            if (eq >= 0 && Secrets.CREDENTIAL_PARAMS.contains(name.toLowerCase(Locale.ROOT))) {
                out.append(name).append('=').append(REPLACEMENT);
            } else {
                out.append(text(pair, knownSecrets));
            }
        }
        return out.toString();
    }

    /**
     * Headers fit for a fixture: credential headers (and AWS signing headers, cookies) are dropped, the others
     * scrubbed as text. Names in lower case, sorted, so fixture files diff cleanly.
     */
    public Map<String, String> headers(Map<String, String> headers, String... knownSecrets) {
        Map<String, String> out = new TreeMap<>();
        headers.forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!isSecretHeader(lower)) {
                out.put(lower, text(value, knownSecrets));
            }
        });
        return out;
    }

    static boolean isSecretHeader(String lowerName) {
        return Secrets.isCredentialHeader(lowerName) || lowerName.equals("set-cookie")
                || lowerName.equals("x-amz-security-token") || lowerName.equals("x-amz-content-sha256")
                || lowerName.startsWith("x-api-key") || lowerName.endsWith("-api-key") || lowerName.endsWith("-token");
    }
}
