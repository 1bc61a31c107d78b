package dev.llmfault.server.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.CredentialPolicy;
import dev.llmfault.server.NetworkPolicy;
import dev.llmfault.server.Policies;
import dev.llmfault.server.RateLimitPolicy;
import dev.llmfault.server.VersionPolicy;
import dev.llmfault.server.internal.config.InputException;
import dev.llmfault.server.internal.config.PolicyCodec;
import dev.llmfault.server.internal.json.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.Optional;

import static dev.llmfault.server.internal.http.AdminApi.PREFIX;
import static dev.llmfault.server.internal.http.AdminApi.error;
import static dev.llmfault.server.internal.http.AdminApi.parse;
import static dev.llmfault.server.internal.http.AdminApi.send;

/**
 * The policy part of the admin API: {@code GET|DELETE /__admin/policies},
 * {@code GET|PUT|DELETE /__admin/policies/{name}} and the credential revocations. A PUT is read whole before
 * it is applied, so a refused one changes nothing.
 */
final class AdminPolicyRoutes {
    private final ServerRuntime runtime;

    AdminPolicyRoutes(ServerRuntime runtime) {
        this.runtime = runtime;
    }

    void register(RoutesConfig routes) {
        routes.get(PREFIX + "/policies", ctx -> {
            ObjectNode n = Json.object();
            PolicyCodec.NAMES.forEach(name -> n.set(name, policyJson(name)));
            send(ctx, 200, n);
        });
        routes.delete(PREFIX + "/policies", ctx -> {
            runtime.policies().clear();
            send(ctx, 200, Json.object().put("cleared", true));
        });
        routes.post(PREFIX + "/policies/credentials/revocations", this::revoke);
        routes.get(PREFIX + "/policies/{name}", ctx -> {
            String name = policyName(ctx);
            if (name != null) send(ctx, 200, Json.object().set(name, policyJson(name)));
        });
        routes.put(PREFIX + "/policies/{name}", this::putPolicy);
        routes.delete(PREFIX + "/policies/{name}", ctx -> {
            String name = policyName(ctx);
            if (name != null) {
                apply(name, null);
                send(ctx, 200, Json.object().put("removed", name));
            }
        });
    }

    private String policyName(Context ctx) {
        String name = ctx.pathParam("name");
        if (!PolicyCodec.NAMES.contains(name)) {
            send(ctx, 404, error("name: unknown policy '" + name + "', allowed: " + PolicyCodec.NAMES, "name"));
            return null;
        }
        return name;
    }

    private JsonNode policyJson(String name) {
        Policies p = runtime.policies();
        Optional<JsonNode> json = switch (name) {
            case "credentials" -> p.credentials().map(PolicyCodec::write);
            case "rateLimits" -> p.rateLimits().map(PolicyCodec::write);
            case "network" -> p.network().map(PolicyCodec::write);
            default -> p.versions().map(PolicyCodec::write);
        };
        return json.orElse(NullNode.getInstance());
    }

    private void putPolicy(Context ctx) {
        String name = policyName(ctx);
        if (name == null) {
            return;
        }
        JsonNode body = parse(ctx);
        if (body == null) {
            return;
        }
        try {
            PolicyCodec.read(name, body, policy -> apply(name, policy)); // applied only once fully read
            send(ctx, 200, Json.object().set(name, policyJson(name)));
        } catch (InputException e) {
            InputException inPolicy = e.within(name); // rateLimits.windowMs, or rateLimits for the whole body
            send(ctx, 400, error(inPolicy.getMessage(), inPolicy.field()));
        }
    }

    private void apply(String name, Object policy) {
        Policies p = runtime.policies();
        switch (name) {
            case "credentials" -> p.credentials((CredentialPolicy) policy);
            case "rateLimits" -> p.rateLimits((RateLimitPolicy) policy);
            case "network" -> p.network((NetworkPolicy) policy);
            default -> p.versions((VersionPolicy) policy);
        }
    }

    private void revoke(Context ctx) {
        JsonNode body = parse(ctx);
        if (body == null) {
            return;
        }
        JsonNode credential = body.get("credential");
        JsonNode fingerprint = body.get("fingerprint");
        if ((credential == null || !credential.isTextual()) && (fingerprint == null || !fingerprint.isTextual())) {
            send(ctx, 400, error("credential: expected {\"credential\": \"<key or token>\"} or {\"fingerprint\": \"<sha-256 hex>\"}",
                    "credential"));
            return;
        }
        if (runtime.policies().credentials().isEmpty()) {
            send(ctx, 409, error("no credential policy is active: PUT /__admin/policies/credentials first", "credential"));
            return;
        }
        boolean revoked = credential != null && credential.isTextual()
                ? runtime.policies().revoke(credential.asText())
                : runtime.policies().revokeFingerprint(fingerprint.asText());
        if (revoked) {
            send(ctx, 200, Json.object().put("revoked", true));
        } else {
            send(ctx, 404, error("the credential policy does not know this key or token", "credential"));
        }
    }
}
