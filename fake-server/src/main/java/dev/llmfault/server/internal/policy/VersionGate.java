package dev.llmfault.server.internal.policy;

import dev.llmfault.server.internal.engine.RequestFacts;
import dev.llmfault.server.Fault;
import dev.llmfault.server.Provider;
import dev.llmfault.server.VersionPolicy;
import dev.llmfault.server.internal.catalogue.Placeholder;
import dev.llmfault.server.internal.catalogue.Vars;
import dev.llmfault.server.internal.dialect.Rejection;

import java.util.Set;

/** Applies a {@link VersionPolicy}: retired endpoints, the Anthropic version header, retired and unknown models. */
final class VersionGate {
    private final VersionPolicy policy;

    VersionGate(VersionPolicy policy) {
        this.policy = policy;
    }

    VersionPolicy policy() {
        return policy;
    }

    /** A refusal when the path is a retired endpoint, else null. */
    Rejection retiredEndpoint(String method, String path) {
        for (String retired : policy.retiredEndpoints()) {
            if (retired.endsWith("/") ? path.startsWith(retired) : path.equals(retired)) {
                return Rejection.of(Fault.OLD_API_VERSION, "retired_endpoint", new Vars(),
                        "policy versions: " + method + " " + path + " is a retired endpoint (" + retired + ")");
            }
        }
        return null;
    }

    Rejection check(RequestFacts r) {
        if (r.provider() == Provider.ANTHROPIC && !policy.anthropicVersions().isEmpty()) {
            String version = r.headers().get("anthropic-version");
            if (version != null && !policy.anthropicVersions().contains(version.trim())) {
                return Rejection.of(Fault.OLD_API_VERSION, "", new Vars().put(Placeholder.VERSION, version.trim()).put(
                                Placeholder.SUPPORTED, String.join(", ", new java.util.TreeSet<>(policy.anthropicVersions()))),
                        "policy versions: anthropic-version " + version.trim() + " is not one of " + policy.anthropicVersions());
            }
        }
        if (r.model() == null) {
            return null;
        }
        Set<String> retired = policy.retiredModels().getOrDefault(r.provider(), Set.of());
        if (retired.contains(r.model())) {
            return Rejection.of(Fault.MODEL_NOT_FOUND, "retired_model", Vars.of(Placeholder.MODEL, r.model()),
                    "policy versions: model " + r.model() + " is retired");
        }
        if (policy.knownModelsOnly() && !r.knownModels().contains(r.model())) {
            return Rejection.of(Fault.MODEL_NOT_FOUND, "", Vars.of(Placeholder.MODEL, r.model()),
                    "policy versions: model " + r.model() + " is not one of " + r.knownModels());
        }
        return null;
    }
}
