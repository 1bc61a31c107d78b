package dev.llmfault.server.policies;

import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Fault;
import dev.llmfault.server.NetworkPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every test client is 127.0.0.1, so other addresses are simulated the documented way: the loopback
 * peer is a trusted proxy and the address under test travels in X-Forwarded-For.
 */
class NetworkPolicyTest {
    private static final String KEY = "sk-net-0123456789abcdef0000";
    private FakeLlmServer server;

    @AfterEach
    void stop() {
        server.close();
    }

    private void start(NetworkPolicy policy) {
        server = FakeLlmServer.builder().network(policy).start();
    }

    @Test
    void deniedCidrIsRefusedWhileOthersPass() {
        start(NetworkPolicy.builder().deny("203.0.113.0/24", "2001:db8::/32").trustedProxies("127.0.0.1", "::1").build());

        HttpResponse<String> denied = Calls.openAiHeaders(server, KEY, "X-Forwarded-For", "203.0.113.77");
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(Calls.json(denied).at("/error/message").asText()).contains("203.0.113.77");
        assertThat(server.journal().last().orElseThrow().fault()).isEqualTo(Fault.IP_BLOCKED);
        assertThat(server.journal().last().orElseThrow().faultReason()).contains("deny list 203.0.113.0/24");

        assertThat(Calls.openAiHeaders(server, KEY, "X-Forwarded-For", "2001:db8:1::5").statusCode()).isEqualTo(403);
        assertThat(Calls.openAiHeaders(server, KEY, "X-Forwarded-For", "198.51.100.4").statusCode()).isEqualTo(200);
        assertThat(Calls.openAi(server, KEY).statusCode()).isEqualTo(200);
    }

    @Test
    void forwardedForIsIgnoredFromAnUntrustedPeer() {
        start(NetworkPolicy.builder().deny("203.0.113.0/24").build());

        assertThat(Calls.openAiHeaders(server, KEY, "X-Forwarded-For", "203.0.113.77").statusCode()).isEqualTo(200);
    }

    @Test
    void allowListRefusesEveryOtherAddressIncludingTheRealPeer() {
        start(NetworkPolicy.builder().allow("10.0.0.0/8").trustedProxies("127.0.0.1").build());

        assertThat(Calls.openAiHeaders(server, KEY, "X-Forwarded-For", "10.1.2.3").statusCode()).isEqualTo(200);
        assertThat(Calls.openAiHeaders(server, KEY, "X-Forwarded-For", "192.0.2.1").statusCode()).isEqualTo(403);
        // a forged left-most hop does not help: the right-most untrusted hop is the client
        assertThat(Calls.openAiHeaders(server, KEY, "X-Forwarded-For", "10.1.2.3, 192.0.2.1").statusCode()).isEqualTo(403);
    }

    @Test
    void blockedRegionIsRefusedWithTheProvidersRegionError() {
        start(NetworkPolicy.builder().blockRegions("KP").build());

        HttpResponse<String> blocked = Calls.openAiHeaders(server, KEY, "CF-IPCountry", "kp");
        assertThat(blocked.statusCode()).isEqualTo(403);
        assertThat(Calls.json(blocked).at("/error/code").asText()).isEqualTo("unsupported_country_region_territory");
        assertThat(server.journal().last().orElseThrow().fault()).isEqualTo(Fault.REGION_BLOCKED);
        assertThat(Calls.openAiHeaders(server, KEY, "CF-IPCountry", "DE").statusCode()).isEqualTo(200);
    }

    @Test
    void allowedRegionsRefuseRequestsWithoutTheHeader() {
        start(NetworkPolicy.builder().regionHeader("X-Region").allowRegions("US").build());

        assertThat(Calls.openAiHeaders(server, KEY, "X-Region", "US").statusCode()).isEqualTo(200);
        assertThat(Calls.openAi(server, KEY).statusCode()).isEqualTo(403);
        assertThat(server.journal().last().orElseThrow().faultReason()).contains("no X-Region header");
    }

    @Test
    void hostNamesAreRefusedAsAddressesSoNothingIsLookedUp() {
        assertThatThrownBy(() -> NetworkPolicy.builder().deny("example.com"))
                .hasMessageStartingWith("deny: invalid value 'example.com'");
        assertThatThrownBy(() -> NetworkPolicy.builder().allow("10.0.0.0/33"))
                .hasMessageStartingWith("allow: invalid value '10.0.0.0/33'");
        assertThatThrownBy(() -> NetworkPolicy.builder().blockRegions("Narnia"))
                .hasMessageStartingWith("blockRegions: invalid value 'Narnia'");
        server = FakeLlmServer.start();
    }
}
