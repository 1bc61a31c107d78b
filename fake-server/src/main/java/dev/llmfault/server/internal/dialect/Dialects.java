package dev.llmfault.server.internal.dialect;

import dev.llmfault.server.Provider;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dialect registry: every provider's dialect, and which one answers a request. Everything that
 * enumerates providers (default models, the catalogue document, the health answer) goes through it.
 *
 * <p>Routing: among the routes whose pattern matches the path, one for the request's method wins over one
 * for another method (a wrong method gets that provider's 405); then the most literal pattern wins
 * ({@code POST /v1/models/{model}:generateContent} over {@code GET /v1/models/{id}}); then the dialect that
 * {@linkplain Dialect#claim claims} the request most strongly ({@code GET /v1/models} is Anthropic's when
 * {@code anthropic-version} is sent). An unknown path is answered by the dialect that claims it most, so a
 * typo in a client's base URL shows the error the real provider would give.
 */
public final class Dialects {
    private static final Dialects INSTANCE = new Dialects(Map.of());

    private final Map<Provider, Dialect> byProvider = new EnumMap<>(Provider.class);
    /** The OpenAI-compatible vendors served under their own base paths (see {@link Aliases}), by name. */
    private final Map<String, Dialect> aliases = new LinkedHashMap<>();
    /** Every dialect a request may go to: the providers', then the aliases'. */
    private final List<Dialect> candidates = new ArrayList<>();
    /** The routes matching each literal route path (see {@link #byLiteralPath(List)}). */
    private final Map<String, List<Candidate>> byLiteralPath;
    /** Every route of every dialect, in order: what {@link #resolve} tries for any other path. */
    private final List<Candidate> allRoutes;

    private Dialects(Map<String, String> aliasPaths) {
        for (Provider p : Provider.values()) {
            Dialect d = of(p);
            if (d.provider() != p) {
                throw new IllegalStateException(d.getClass().getSimpleName() + " speaks " + d.provider() + ", not " + p);
            }
            byProvider.put(p, d);
        }
        aliasPaths.forEach((name, base) -> aliases.put(name, new OpenAiDialect(name, base)));
        candidates.addAll(byProvider.values());
        candidates.addAll(aliases.values());
        allRoutes = allRoutes(candidates);
        byLiteralPath = byLiteralPath(candidates);
    }

    /** The shared registry, for what every server has in common (providers, default models, routes). */
    public static Dialects get() {
        return INSTANCE;
    }

    /** A registry of its own for one server: dialects may keep per-server state (OpenAI's stored responses). */
    public static Dialects create() {
        return new Dialects(Map.of());
    }

    /**
     * A registry of its own for one server that also serves these aliases (name to base path, already
     * {@linkplain Aliases#check checked}).
     */
    public static Dialects create(Map<String, String> aliases) {
        return new Dialects(aliases);
    }

    /** Forgets every dialect's per-server state. */
    public void reset() {
        candidates.forEach(Dialect::reset);
    }

    /** A provider's dialect. A switch with no default: a provider constant without a dialect does not compile. */
    private static Dialect of(Provider p) {
        return switch (p) {
            case OPENAI -> new OpenAiDialect();
            case ANTHROPIC -> new AnthropicDialect();
            case COHERE -> new CohereDialect();
            case ZHIPU -> new ZhipuDialect();
            case AZURE_OPENAI -> new AzureOpenAiDialect();
            case BEDROCK -> new BedrockDialect();
            case GEMINI -> new GeminiDialect();
            case OLLAMA -> new OllamaDialect();
        };
    }

    public Dialect dialect(Provider p) {
        return byProvider.get(p);
    }

    /** Every dialect a request may go to: the providers' in the order of {@link Provider}, then the aliases'. */
    public List<Dialect> routed() {
        return List.copyOf(candidates);
    }

    /** Every dialect, in the order of {@link Provider}. */
    public List<Dialect> all() {
        return List.copyOf(byProvider.values());
    }

    /** The default model ids of every provider. */
    public Map<Provider, List<String>> defaultModelIds() {
        Map<Provider, List<String>> m = new EnumMap<>(Provider.class);
        byProvider.forEach((p, d) -> m.put(p, d.defaultModels().stream().map(ModelSpec::id).toList()));
        return Collections.unmodifiableMap(m);
    }

    /**
     * Where a request goes.
     *
     * @param route null when no route of any dialect has the path
     * @param methodAllowed false when the path is known but not for this method
     */
    public record Resolution(Dialect dialect, RouteMatch route, boolean methodAllowed) {
        public boolean unknownPath() {
            return route == null;
        }
    }

    public Resolution resolve(IncomingRequest request) {
        Dialect best = null;
        RouteMatch bestMatch = null;
        boolean bestMethod = false;
        int bestClaim = -1;
        Dialect claimant = null;
        int claim = -1; // computed once per dialect, and only when one of its routes matches
        for (Candidate c : byLiteralPath.getOrDefault(request.path(), allRoutes)) {
            Dialect d = c.dialect();
            Route r = c.route();
            if (d != claimant) {
                claimant = d;
                claim = -1;
            }
            Map<String, String> params = r.match(request.path());
            if (params == null) {
                continue;
            }
            boolean method = r.method().equals(request.method());
            if (claim < 0) {
                claim = d.claim(request);
            }
            if (best == null || better(method, r, claim, bestMethod, bestMatch.route(), bestClaim)) {
                best = d;
                bestMatch = new RouteMatch(r, params);
                bestMethod = method;
                bestClaim = claim;
            }
        }
        if (best != null) {
            return new Resolution(best, bestMatch, bestMethod);
        }
        return new Resolution(owner(request), null, false);
    }

    /** A route of a dialect that matches one of the literal paths. */
    private record Candidate(Dialect dialect, Route route) {
    }

    /**
     * For each route path without parameters (the model calls clients send all day), every route of every dialect
     * that matches it, found once: {@link #resolve} then tries those instead of every route of every dialect. The
     * same routes in the same order, so the same winner.
     */
    private static Map<String, List<Candidate>> byLiteralPath(List<Dialect> candidates) {
        Map<String, List<Candidate>> literal = new HashMap<>();
        for (Dialect owner : candidates) {
            for (Route r : owner.routes()) {
                String path = r.pattern();
                if (path.indexOf('{') >= 0 || literal.containsKey(path)) {
                    continue;
                }
                literal.put(path, allRoutes(candidates).stream().filter(c -> c.route().match(path) != null).toList());
            }
        }
        return Map.copyOf(literal);
    }

    /** Every route of every dialect, in the dialects' order and each dialect's. */
    private static List<Candidate> allRoutes(List<Dialect> candidates) {
        List<Candidate> all = new ArrayList<>();
        for (Dialect d : candidates) {
            for (Route r : d.routes()) {
                all.add(new Candidate(d, r));
            }
        }
        return List.copyOf(all);
    }

    /**
     * Where a journaled request of an alias went, without the server's alias table (a journal read in another
     * JVM): the alias's base is what precedes one of OpenAI's model-call paths ({@code /chat/completions},
     * {@code /responses}). Empty when the path ends in none of them.
     */
    public static java.util.Optional<Resolution> resolveAlias(String alias, IncomingRequest request) {
        for (Route call : OpenAiDialect.routes("")) {
            if (call.kind() == Route.Kind.CHAT && request.path().endsWith(call.pattern())) {
                String base = request.path().substring(0, request.path().length() - call.pattern().length());
                if (base.isEmpty()) {
                    continue;
                }
                Resolution r = new Dialects(Map.of(alias, base)).resolve(request);
                if (!r.unknownPath() && alias.equals(r.dialect().alias())) {
                    return java.util.Optional.of(r);
                }
            }
        }
        return java.util.Optional.empty();
    }

    private static boolean better(boolean method, Route r, int claim, boolean bestMethod, Route best, int bestClaim) {
        if (method != bestMethod) {
            return method;
        }
        if (r.specificity() != best.specificity()) {
            return r.specificity() > best.specificity();
        }
        return claim > bestClaim;
    }

    /** The dialect that claims an unknown path most strongly (the first such in {@link Provider} order). */
    private Dialect owner(IncomingRequest request) {
        Dialect owner = null;
        int strongest = 0;
        for (Dialect d : candidates) {
            int claim = d.claim(request);
            if (claim > strongest) {
                owner = d;
                strongest = claim;
            }
        }
        if (owner == null) {
            List<Provider> none = new ArrayList<>(byProvider.keySet());
            throw new IllegalStateException("no dialect claims " + request.path() + " (one of " + none
                    + " must return CLAIM_FALLBACK)");
        }
        return owner;
    }
}
