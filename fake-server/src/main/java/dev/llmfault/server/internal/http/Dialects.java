package dev.llmfault.server.internal.http;

import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.dialect.AnthropicDialect;
import dev.llmfault.server.internal.dialect.CohereDialect;
import dev.llmfault.server.internal.dialect.Dialect;
import dev.llmfault.server.internal.dialect.IncomingRequest;
import dev.llmfault.server.internal.dialect.OpenAiDialect;
import dev.llmfault.server.internal.dialect.Route;
import dev.llmfault.server.internal.dialect.ZhipuDialect;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The dialects of the server and which one answers a request. A known path answers in its provider's
 * format (a wrong method gets that provider's 405); an unknown path is answered by the provider whose
 * path space it is in, so a typo in a client's base URL shows the error the real provider would give.
 */
final class Dialects {
    private final Map<Provider, Dialect> byProvider = new EnumMap<>(Provider.class);

    Dialects() {
        for (Dialect d : List.of(new OpenAiDialect(), new AnthropicDialect(), new CohereDialect(), new ZhipuDialect())) {
            byProvider.put(d.provider(), d);
        }
    }

    Dialect get(Provider provider) {
        return byProvider.get(provider);
    }

    /**
     * Where a request goes.
     *
     * @param route null when no route of the dialect has the path
     * @param methodAllowed false when the path is known but not for this method
     */
    record Resolution(Dialect dialect, Route route, boolean methodAllowed) {
        boolean unknownPath() {
            return route == null;
        }
    }

    Resolution resolve(IncomingRequest request) {
        Route pathMatch = null;
        Dialect pathOwner = null;
        for (Dialect d : inPreferenceOrder(request)) {
            for (Route r : d.routes()) {
                if (r.matchesPath(request.path())) {
                    if (r.method().equals(request.method())) {
                        return new Resolution(d, r, true);
                    }
                    if (pathOwner == null) {
                        pathOwner = d;
                        pathMatch = r;
                    }
                }
            }
        }
        if (pathOwner != null) {
            return new Resolution(pathOwner, pathMatch, false);
        }
        return new Resolution(byProvider.get(guessOwner(request)), null, false);
    }

    /**
     * The dialects to try, in order. OpenAI and Anthropic share {@code GET /v1/models}: every Anthropic
     * client sends {@code anthropic-version} and no OpenAI client does, so that header puts Anthropic first.
     */
    private Iterable<Dialect> inPreferenceOrder(IncomingRequest request) {
        if (request.header("anthropic-version") == null) {
            return byProvider.values();
        }
        List<Dialect> order = new java.util.ArrayList<>(byProvider.values());
        order.remove(byProvider.get(Provider.ANTHROPIC));
        order.add(0, byProvider.get(Provider.ANTHROPIC));
        return order;
    }

    /** The provider whose path space an unknown path is in. */
    private static Provider guessOwner(IncomingRequest request) {
        String path = request.path();
        if (path.startsWith("/api/paas/")) {
            return Provider.ZHIPU;
        }
        if (path.startsWith("/v2/")) {
            return Provider.COHERE;
        }
        if (request.header("anthropic-version") != null || request.header("x-api-key") != null) {
            return Provider.ANTHROPIC;
        }
        return Provider.OPENAI;
    }
}
