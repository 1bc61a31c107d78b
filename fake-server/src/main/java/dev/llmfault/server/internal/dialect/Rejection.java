package dev.llmfault.server.internal.dialect;

import dev.llmfault.server.Fault;
import dev.llmfault.server.internal.catalogue.Vars;

import java.util.Map;

/**
 * A request refused for a real reason (validation or a policy), rendered from the catalogue like an
 * injected fault.
 *
 * @param variant the catalogue variant ("" for the main rendering)
 * @param reason  what the journal says, for example {@code validation: missing 'messages'}
 * @param headers extra response headers (an RFC 6750 {@code WWW-Authenticate} for a bad token)
 */
public record Rejection(Fault fault, String variant, Vars vars, String reason, Map<String, String> headers) {

    public static Rejection of(Fault fault, String reason) {
        return new Rejection(fault, "", new Vars(), reason, Map.of());
    }

    public static Rejection of(Fault fault, String variant, Vars vars, String reason) {
        return new Rejection(fault, variant, vars, reason, Map.of());
    }
}
