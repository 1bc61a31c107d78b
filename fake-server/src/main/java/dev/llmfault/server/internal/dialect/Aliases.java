package dev.llmfault.server.internal.dialect;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * OpenAI-compatible vendors (Mistral, Groq, Together, DeepSeek, OpenRouter, vLLM, LM Studio ...) served by the
 * OpenAI dialect under a base path of their own, so a client configured for the vendor talks to the kit with
 * only its base URL changed, and the journal names the vendor. One alias is a name and a base path:
 *
 * <pre>{@code
 * Aliases.parse("mistral=/mistral/v1");          // Map.entry("mistral", "/mistral/v1")
 * Aliases.check(Map.of("mistral", "/mistral/v1")); // fine; "/v1" would clash with OpenAI's own routes
 * }</pre>
 *
 * The one validation point of aliases: the settings builder calls {@link #check}, whatever the alias came from
 * (builder, annotation, config file, command line).
 */
public final class Aliases {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._~-]+");
    /** Paths the server answers itself, above every dialect. */
    private static final List<String> RESERVED = List.of("/__admin", "/oauth");
    private static final String EXAMPLE = "such as mistral=/mistral/v1";

    private Aliases() {
    }

    /**
     * {@code NAME=/BASE/PATH}, the form of {@code --alias} and of {@code @LlmFaultTest(aliases = ...)}.
     *
     * @throws IllegalArgumentException naming the value and the form expected
     */
    public static Map.Entry<String, String> parse(String spec) {
        int eq = spec == null ? -1 : spec.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("alias: invalid value " + (spec == null ? "null" : "'" + spec + "'")
                    + ", expected NAME=/BASE/PATH " + EXAMPLE);
        }
        return Map.entry(spec.substring(0, eq).trim(), spec.substring(eq + 1).trim());
    }

    /**
     * Checks every alias: its name, its base path, and that its routes clash with no provider's own route, no
     * path the server answers itself and no other alias.
     *
     * @throws IllegalArgumentException naming the alias, the value and what is allowed
     */
    public static void check(Map<String, String> aliases) {
        Map<String, String> seen = new LinkedHashMap<>();
        List<Dialect> providers = Dialects.get().all();
        for (Map.Entry<String, String> a : aliases.entrySet()) {
            String name = a.getKey();
            String base = a.getValue();
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("alias: invalid name " + quoted(name) + ", expected lower-case"
                        + " letters, digits, '.', '_' or '-' (at most 63), " + EXAMPLE);
            }
            checkPath(name, base);
            for (String reserved : RESERVED) {
                if (base.equals(reserved) || base.startsWith(reserved + "/")) {
                    throw new IllegalArgumentException("alias " + name + ": base path '" + base + "' is under "
                            + reserved + ", which the server answers itself: choose a path of its own, " + EXAMPLE);
                }
            }
            for (Dialect provider : providers) {
                Route clash = clash(base, provider.routes());
                if (clash != null) {
                    throw new IllegalArgumentException("alias " + name + ": base path '" + base + "' clashes with "
                            + provider.provider() + "'s own route " + clash + ": choose a path of its own, " + EXAMPLE);
                }
            }
            for (Map.Entry<String, String> other : seen.entrySet()) {
                if (clash(base, OpenAiDialect.routes(other.getValue())) != null) {
                    throw new IllegalArgumentException("alias " + name + ": base path '" + base + "' clashes with"
                            + " alias " + other.getKey() + " (" + other.getValue() + "): give each alias a path of its own");
                }
            }
            seen.put(name, base);
        }
    }

    private static void checkPath(String name, String base) {
        boolean ok = base != null && base.startsWith("/") && base.length() > 1 && !base.endsWith("/");
        if (ok) {
            for (String segment : base.substring(1).split("/", -1)) {
                ok &= SEGMENT.matcher(segment).matches();
            }
        }
        if (!ok) {
            throw new IllegalArgumentException("alias " + name + ": invalid base path " + quoted(base) + ", expected"
                    + " a path such as '/" + name + "/v1': it starts with '/', has no trailing '/', and its segments"
                    + " hold letters, digits, '.', '_', '~' or '-'");
        }
    }

    /** A route of {@code others} that one of the alias's routes matches or is matched by, or null. */
    private static Route clash(String base, List<Route> others) {
        for (Route mine : OpenAiDialect.routes(base)) {
            for (Route theirs : others) {
                if (theirs.match(sample(mine)) != null || mine.match(sample(theirs)) != null) {
                    return theirs;
                }
            }
        }
        return null;
    }

    /** A concrete path of a route: each parameter filled with one character. */
    private static String sample(Route route) {
        return route.pattern().replaceAll("\\{[^}]+}", "x");
    }

    private static String quoted(String value) {
        return value == null ? "null" : "'" + value + "'";
    }
}
