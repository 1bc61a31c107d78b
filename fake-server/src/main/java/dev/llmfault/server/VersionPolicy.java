package dev.llmfault.server;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * Emulated API versions and retirement: which {@code anthropic-version} values are accepted, which
 * endpoints are retired (answered as the provider answers an old path), which models are retired, and
 * whether unknown models are refused.
 *
 * <pre>{@code
 * server.policies().versions(VersionPolicy.builder()
 *         .anthropicVersions("2023-06-01")
 *         .retiredModels(Provider.OPENAI, "text-davinci-003")
 *         .knownModelsOnly(true)   // models outside the server's model list get MODEL_NOT_FOUND
 *         .build());
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class VersionPolicy {
    /** Endpoints the providers retired; requests to them get OLD_API_VERSION. */
    public static final List<String> DEFAULT_RETIRED_ENDPOINTS = List.of(
            "/v1/completions", "/v1/engines/", "/v1/edits", "/v1/answers", "/v1/complete", "/api/paas/v3/");

    private final Set<String> anthropicVersions;
    private final List<String> retiredEndpoints;
    private final Map<Provider, Set<String>> retiredModels;
    private final boolean knownModelsOnly;

    private VersionPolicy(Builder b) {
        this.anthropicVersions = Set.copyOf(b.anthropicVersions);
        this.retiredEndpoints = List.copyOf(b.retiredEndpoints);
        Map<Provider, Set<String>> models = new EnumMap<>(Provider.class);
        b.retiredModels.forEach((p, m) -> models.put(p, Set.copyOf(m)));
        this.retiredModels = Map.copyOf(models);
        this.knownModelsOnly = b.knownModelsOnly;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The accepted {@code anthropic-version} values; empty accepts any date-shaped version. */
    public Set<String> anthropicVersions() { return anthropicVersions; }
    /** Retired path prefixes (a prefix ending in '/' covers everything under it). */
    public List<String> retiredEndpoints() { return retiredEndpoints; }
    public Map<Provider, Set<String>> retiredModels() { return retiredModels; }
    public boolean knownModelsOnly() { return knownModelsOnly; }

    /** Builds a {@link VersionPolicy}. */
    public static final class Builder {
        private final Set<String> anthropicVersions = new LinkedHashSet<>();
        private final List<String> retiredEndpoints = new ArrayList<>(DEFAULT_RETIRED_ENDPOINTS);
        private final Map<Provider, Set<String>> retiredModels = new EnumMap<>(Provider.class);
        private boolean knownModelsOnly;

        private Builder() {
        }

        public Builder anthropicVersions(String... versions) {
            for (String v : versions) {
                if (v == null || !v.matches("\\d{4}-\\d{2}-\\d{2}")) {
                    throw new IllegalArgumentException("anthropicVersions: invalid value '" + v
                            + "', expected a date such as 2023-06-01");
                }
                anthropicVersions.add(v);
            }
            return this;
        }

        /** Replaces the default list of retired endpoints. */
        public Builder retiredEndpoints(String... paths) {
            retiredEndpoints.clear();
            for (String p : paths) {
                if (p == null || !p.startsWith("/")) {
                    throw new IllegalArgumentException("retiredEndpoints: invalid value '" + p + "', expected a path starting with '/'");
                }
                retiredEndpoints.add(p);
            }
            return this;
        }

        public Builder retiredModels(Provider provider, String... models) {
            Set<String> set = retiredModels.computeIfAbsent(provider, p -> new LinkedHashSet<>());
            for (String m : models) {
                if (m == null || m.isBlank()) {
                    throw new IllegalArgumentException("retiredModels." + provider + ": invalid value '" + m + "', expected a model id");
                }
                set.add(m);
            }
            return this;
        }

        public Builder knownModelsOnly(boolean on) {
            this.knownModelsOnly = on;
            return this;
        }

        public VersionPolicy build() {
            return new VersionPolicy(this);
        }
    }
}
