package dev.llmfault.server.internal.policy;

import dev.llmfault.server.internal.engine.RequestFacts;
import dev.llmfault.server.Fault;
import dev.llmfault.server.NetworkPolicy;
import dev.llmfault.server.internal.catalogue.Placeholder;
import dev.llmfault.server.internal.catalogue.Vars;
import dev.llmfault.server.internal.dialect.Rejection;

import java.util.List;
import java.util.Locale;

/** Applies a {@link NetworkPolicy}: the client address against the lists, the region header against the regions. */
final class NetworkGate {
    private final NetworkPolicy policy;
    private final List<Cidr> allow;
    private final List<Cidr> deny;
    private final List<Cidr> trusted;
    private final String regionHeader;

    NetworkGate(NetworkPolicy policy) {
        this.policy = policy;
        this.allow = policy.allow().stream().map(c -> Cidr.parse("allow", c)).toList();
        this.deny = policy.deny().stream().map(c -> Cidr.parse("deny", c)).toList();
        this.trusted = policy.trustedProxies().stream().map(c -> Cidr.parse("trustedProxies", c)).toList();
        this.regionHeader = policy.regionHeader().toLowerCase(Locale.ROOT);
    }

    NetworkPolicy policy() {
        return policy;
    }

    Rejection check(RequestFacts r) {
        String client = clientAddress(r);
        byte[] address = Cidr.literal(client);
        if (address != null) {
            for (Cidr c : deny) {
                if (c.contains(address)) {
                    return blockedIp(client, "in deny list " + c);
                }
            }
            if (!allow.isEmpty() && allow.stream().noneMatch(c -> c.contains(address))) {
                return blockedIp(client, "not in allow list " + allow);
            }
        }
        String region = r.headers().get(regionHeader);
        String code = region == null ? null : region.trim().toUpperCase(Locale.ROOT);
        if (code != null && policy.blockRegions().contains(code)) {
            return blockedRegion(code, "region " + code + " is blocked");
        }
        if (!policy.allowRegions().isEmpty() && (code == null || !policy.allowRegions().contains(code))) {
            return blockedRegion(code == null ? "unknown" : code, code == null
                    ? "no " + policy.regionHeader() + " header and only " + policy.allowRegions() + " are allowed"
                    : "region " + code + " is not in " + policy.allowRegions());
        }
        return null;
    }

    /**
     * The peer, or the right-most address of X-Forwarded-For that is not a trusted proxy when the peer is
     * trusted (RFC 7239's advice: everything left of an untrusted hop may be forged).
     */
    String clientAddress(RequestFacts r) {
        String peer = r.peerAddress();
        String forwarded = r.headers().get("x-forwarded-for");
        if (forwarded == null || !isTrusted(peer)) {
            return peer;
        }
        String[] hops = forwarded.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (!isTrusted(hop)) {
                return hop;
            }
        }
        return hops[0].trim();
    }

    private boolean isTrusted(String address) {
        byte[] bytes = Cidr.literal(address);
        return bytes != null && trusted.stream().anyMatch(c -> c.contains(bytes));
    }

    private static Rejection blockedIp(String ip, String why) {
        return Rejection.of(Fault.IP_BLOCKED, "", Vars.of(Placeholder.IP, ip), "policy network: " + ip + " " + why);
    }

    private static Rejection blockedRegion(String region, String why) {
        return Rejection.of(Fault.REGION_BLOCKED, "", Vars.of(Placeholder.REGION, region), "policy network: " + why);
    }
}
