package dev.llmfault.server.policies;

import dev.llmfault.server.Fault;
import dev.llmfault.server.NetworkPolicy;
import dev.llmfault.server.Provider;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.SharedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every test client is 127.0.0.1, so other addresses are simulated the documented way: the loopback
 * peer is a trusted proxy and the address under test travels in X-Forwarded-For.
 */
class NetworkPolicyTest {
    private static final String KEY = "sk-net-0123456789abcdef0000";
    @RegisterExtension
    static final SharedServer server = new SharedServer();

    /** A chat call whose X-Forwarded-For says it comes from this address. */
    private static Answer from(String forwardedFor) {
        return Calls.chat(server.get(), Provider.OPENAI, KEY, Map.of("X-Forwarded-For", forwardedFor));
    }

    @Test
    void deniedCidrIsRefusedWhileOthersPass() {
        server.get().policies().network(NetworkPolicy.builder().deny("203.0.113.0/24", "2001:db8::/32")
                .trustedProxies("127.0.0.1", "::1").build());

        Answer denied = from("203.0.113.77");
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.json().at("/error/message").asText()).contains("203.0.113.77");
        assertThat(server.get().journal().last().orElseThrow().fault()).isEqualTo(Fault.IP_BLOCKED);
        assertThat(server.get().journal().last().orElseThrow().faultReason()).contains("deny list 203.0.113.0/24");

        assertThat(from("2001:db8:1::5").status()).isEqualTo(403);
        assertThat(from("198.51.100.4").status()).isEqualTo(200);
        assertThat(Calls.chat(server.get(), Provider.OPENAI, KEY).status()).isEqualTo(200);
    }

    @Test
    void forwardedForIsIgnoredFromAnUntrustedPeer() {
        server.get().policies().network(NetworkPolicy.builder().deny("203.0.113.0/24").build());

        assertThat(from("203.0.113.77").status()).isEqualTo(200);
    }

    @Test
    void allowListRefusesEveryOtherAddressIncludingTheRealPeer() {
        server.get().policies().network(NetworkPolicy.builder().allow("10.0.0.0/8").trustedProxies("127.0.0.1").build());

        assertThat(from("10.1.2.3").status()).isEqualTo(200);
        assertThat(from("192.0.2.1").status()).isEqualTo(403);
        // a forged left-most hop does not help: the right-most untrusted hop is the client
        assertThat(from("10.1.2.3, 192.0.2.1").status()).isEqualTo(403);
    }

    @Test
    void blockedRegionIsRefusedWithTheProvidersRegionError() {
        server.get().policies().network(NetworkPolicy.builder().blockRegions("KP").build());

        Answer blocked = Calls.chat(server.get(), Provider.OPENAI, KEY, Map.of("CF-IPCountry", "kp"));
        assertThat(blocked.status()).isEqualTo(403);
        assertThat(blocked.json().at("/error/code").asText()).isEqualTo("unsupported_country_region_territory");
        assertThat(server.get().journal().last().orElseThrow().fault()).isEqualTo(Fault.REGION_BLOCKED);
        assertThat(Calls.chat(server.get(), Provider.OPENAI, KEY, Map.of("CF-IPCountry", "DE")).status()).isEqualTo(200);
    }

    @Test
    void allowedRegionsRefuseRequestsWithoutTheHeader() {
        server.get().policies().network(NetworkPolicy.builder().regionHeader("X-Region").allowRegions("US").build());

        assertThat(Calls.chat(server.get(), Provider.OPENAI, KEY, Map.of("X-Region", "US")).status()).isEqualTo(200);
        assertThat(Calls.chat(server.get(), Provider.OPENAI, KEY).status()).isEqualTo(403);
        assertThat(server.get().journal().last().orElseThrow().faultReason()).contains("no X-Region header");
    }

    @Test
    void hostNamesAreRefusedAsAddressesSoNothingIsLookedUp() {
        assertThatThrownBy(() -> NetworkPolicy.builder().deny("example.com"))
                .hasMessageStartingWith("deny: invalid value 'example.com'");
        assertThatThrownBy(() -> NetworkPolicy.builder().allow("10.0.0.0/33"))
                .hasMessageStartingWith("allow: invalid value '10.0.0.0/33'");
        assertThatThrownBy(() -> NetworkPolicy.builder().blockRegions("Narnia"))
                .hasMessageStartingWith("blockRegions: invalid value 'Narnia'");
    }
}
