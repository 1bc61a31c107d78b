package dev.llmfault.junit.internal;

import dev.llmfault.junit.LlmCredentials;
import dev.llmfault.junit.LlmNetwork;
import dev.llmfault.junit.LlmRateLimit;
import dev.llmfault.junit.LlmVersions;
import dev.llmfault.server.CredentialPolicy;
import dev.llmfault.server.NetworkPolicy;
import dev.llmfault.server.Provider;
import dev.llmfault.server.RateLimitPolicy;
import dev.llmfault.server.VersionPolicy;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns the policy annotations of a test into server policies. The last declaration wins (a method's over
 * its class's). Values are checked by the policies' builders, whose messages name the field; the error adds
 * the annotation and where it was declared.
 */
public final class PolicyAnnotations {
    private PolicyAnnotations() {
    }

    /** The policies a test declares; null members were not declared. */
    public record Declared(CredentialPolicy credentials, RateLimitPolicy rateLimits, NetworkPolicy network,
                           VersionPolicy versions, String origin) {
        public boolean any() {
            return credentials != null || rateLimits != null || network != null || versions != null;
        }
    }

    public static Declared forTest(Class<?> testClass, Method method) {
        dev.llmfault.junit.internal.Declared<LlmCredentials> c = last(testClass, method, LlmCredentials.class);
        dev.llmfault.junit.internal.Declared<LlmRateLimit> r = last(testClass, method, LlmRateLimit.class);
        dev.llmfault.junit.internal.Declared<LlmNetwork> n = last(testClass, method, LlmNetwork.class);
        dev.llmfault.junit.internal.Declared<LlmVersions> v = last(testClass, method, LlmVersions.class);
        String origin = c != null ? c.origin() : r != null ? r.origin() : n != null ? n.origin() : v != null ? v.origin() : null;
        return new Declared(
                c == null ? null : build(c, PolicyAnnotations::credentials),
                r == null ? null : build(r, PolicyAnnotations::rateLimits),
                n == null ? null : build(n, PolicyAnnotations::network),
                v == null ? null : build(v, PolicyAnnotations::versions),
                origin);
    }

    private static CredentialPolicy credentials(LlmCredentials a) {
        CredentialPolicy.Builder b = CredentialPolicy.builder();
        Set<String> scopes = Set.of(a.scopes());
        for (String key : a.apiKeys()) {
            b.apiKey(key, scopes, null);
        }
        for (String client : a.oauthClients()) {
            int colon = client.indexOf(':');
            if (colon <= 0 || colon == client.length() - 1) {
                throw new IllegalArgumentException("oauthClients: an entry is not \"clientId:clientSecret\"");
            }
            b.oauthClient(client.substring(0, colon), client.substring(colon + 1), scopes);
        }
        b.tokenLifetime(Duration.ofMillis(a.tokenLifetimeMs()));
        if (a.tokenMaxUses() != LlmCredentials.UNLIMITED) {
            b.tokenMaxUses(a.tokenMaxUses());
        }
        b.requiredScope(a.requiredScope().isEmpty() ? null : a.requiredScope());
        return b.build();
    }

    private static RateLimitPolicy rateLimits(LlmRateLimit a) {
        RateLimitPolicy.Builder b = RateLimitPolicy.builder().window(Duration.ofMillis(a.windowMs()));
        if (a.requestsPerWindow() != LlmRateLimit.UNSET) b.requestsPerWindow(a.requestsPerWindow());
        if (a.tokensPerWindow() != LlmRateLimit.UNSET) b.tokensPerWindow(a.tokensPerWindow());
        if (a.quotaRequests() != LlmRateLimit.UNSET) b.quota(a.quotaRequests(), Duration.ofMillis(a.quotaPeriodMs()));
        return b.build();
    }

    private static NetworkPolicy network(LlmNetwork a) {
        return NetworkPolicy.builder().allow(a.allow()).deny(a.deny()).trustedProxies(a.trustedProxies())
                .regionHeader(a.regionHeader()).allowRegions(a.allowRegions()).blockRegions(a.blockRegions()).build();
    }

    private static VersionPolicy versions(LlmVersions a) {
        VersionPolicy.Builder b = VersionPolicy.builder().anthropicVersions(a.anthropicVersions())
                .knownModelsOnly(a.knownModelsOnly());
        if (a.retiredEndpoints().length > 0) {
            b.retiredEndpoints(a.retiredEndpoints());
        }
        for (String retired : a.retiredModels()) {
            int colon = retired.indexOf(':');
            Provider provider;
            try {
                provider = colon > 0 ? Provider.parse(retired.substring(0, colon)) : null;
            } catch (IllegalArgumentException e) {
                provider = null;
            }
            if (provider == null || colon == retired.length() - 1) {
                throw new IllegalArgumentException("retiredModels: invalid value '" + retired
                        + "', expected \"PROVIDER:model\" with PROVIDER one of " + List.of(Provider.values()));
            }
            b.retiredModels(provider, retired.substring(colon + 1));
        }
        return b.build();
    }

    private static <A extends Annotation> dev.llmfault.junit.internal.Declared<A> last(Class<?> testClass, Method method,
                                                                                       Class<A> type) {
        List<dev.llmfault.junit.internal.Declared<A>> all = dev.llmfault.junit.internal.Declared.forTest(testClass, method, type);
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    private static <A extends Annotation, P> P build(dev.llmfault.junit.internal.Declared<A> declared, Function<A, P> build) {
        try {
            return build.apply(declared.annotation());
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            int colon = message.indexOf(':');
            String element = colon > 0 ? message.substring(0, colon).replaceFirst("^(apiKeys|oauthClients)\\..*", "$1")
                    .replace("tokenLifetimeMs", "tokenLifetimeMs") : "?";
            return throwInvalid(declared, element, message.substring(colon + 1).trim());
        }
    }

    private static <A extends Annotation, P> P throwInvalid(dev.llmfault.junit.internal.Declared<A> declared, String element,
                                                           String reason) {
        Object value;
        try {
            value = declared.annotation().annotationType().getMethod(element).invoke(declared.annotation());
        } catch (ReflectiveOperationException e) {
            value = "?";
        }
        if (element.equals("apiKeys") || element.equals("oauthClients")) {
            value = "(secrets not shown)";
        }
        throw ConfigErrors.invalid(declared.annotation().annotationType().getSimpleName(), element, value,
                declared.origin(), reason);
    }
}
