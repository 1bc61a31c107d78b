package dev.llmfault.server;

import dev.llmfault.server.internal.policy.Cidr;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.apiguardian.api.API;

/**
 * Emulated network restrictions: allow and deny lists of IPs and CIDR ranges (IPv4 and IPv6) on the
 * client address, and allowed or blocked regions read from a header such as Cloudflare's
 * {@code CF-IPCountry}. {@code X-Forwarded-For} counts only when the immediate peer is a trusted proxy.
 *
 * <p>Every test on one machine comes from 127.0.0.1. To simulate another client address, trust the
 * loopback peer as a proxy and send the address you want in {@code X-Forwarded-For}:
 * <pre>{@code
 * server.policies().network(NetworkPolicy.builder()
 *         .deny("203.0.113.0/24")
 *         .trustedProxies("127.0.0.1", "::1")
 *         .blockRegions("KP")
 *         .build());
 * // a request with "X-Forwarded-For: 203.0.113.7" now gets IP_BLOCKED,
 * // one with "CF-IPCountry: KP" gets REGION_BLOCKED.
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class NetworkPolicy {
    public static final String DEFAULT_REGION_HEADER = "CF-IPCountry";

    private final List<String> allow;
    private final List<String> deny;
    private final List<String> trustedProxies;
    private final String regionHeader;
    private final Set<String> allowRegions;
    private final Set<String> blockRegions;

    private NetworkPolicy(Builder b) {
        this.allow = List.copyOf(b.allow);
        this.deny = List.copyOf(b.deny);
        this.trustedProxies = List.copyOf(b.trustedProxies);
        this.regionHeader = b.regionHeader;
        this.allowRegions = Set.copyOf(b.allowRegions);
        this.blockRegions = Set.copyOf(b.blockRegions);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Addresses or CIDR ranges allowed; empty allows every address not denied. */
    public List<String> allow() { return allow; }
    /** Addresses or CIDR ranges refused with IP_BLOCKED. */
    public List<String> deny() { return deny; }
    /** Peers whose {@code X-Forwarded-For} is believed. */
    public List<String> trustedProxies() { return trustedProxies; }
    public String regionHeader() { return regionHeader; }
    /** Regions allowed (upper-case codes); empty allows every region not blocked. */
    public Set<String> allowRegions() { return allowRegions; }
    public Set<String> blockRegions() { return blockRegions; }

    /** Builds a {@link NetworkPolicy}; each address is checked as it is added. */
    public static final class Builder {
        private final List<String> allow = new ArrayList<>();
        private final List<String> deny = new ArrayList<>();
        private final List<String> trustedProxies = new ArrayList<>();
        private String regionHeader = DEFAULT_REGION_HEADER;
        private final Set<String> allowRegions = new TreeSet<>();
        private final Set<String> blockRegions = new TreeSet<>();

        private Builder() {
        }

        public Builder allow(String... cidrs) { return add("allow", allow, cidrs); }
        public Builder deny(String... cidrs) { return add("deny", deny, cidrs); }
        public Builder trustedProxies(String... cidrs) { return add("trustedProxies", trustedProxies, cidrs); }

        public Builder regionHeader(String name) {
            if (name == null || !name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                throw new IllegalArgumentException("regionHeader: invalid value '" + name + "', expected a header name");
            }
            this.regionHeader = name;
            return this;
        }

        public Builder allowRegions(String... codes) { return regions("allowRegions", allowRegions, codes); }
        public Builder blockRegions(String... codes) { return regions("blockRegions", blockRegions, codes); }

        private Builder add(String field, List<String> into, String... cidrs) {
            for (String c : cidrs) {
                Cidr.parse(field, c); // fails naming the field and value
                into.add(c.trim());
            }
            return this;
        }

        private Builder regions(String field, Set<String> into, String... codes) {
            for (String c : codes) {
                if (c == null || !c.trim().matches("[A-Za-z0-9]{2,3}")) {
                    throw new IllegalArgumentException(field + ": invalid value '" + c
                            + "', expected a 2- or 3-letter region code such as US, DE or T1");
                }
                into.add(c.trim().toUpperCase(Locale.ROOT));
            }
            return this;
        }

        public NetworkPolicy build() {
            return new NetworkPolicy(this);
        }
    }
}
