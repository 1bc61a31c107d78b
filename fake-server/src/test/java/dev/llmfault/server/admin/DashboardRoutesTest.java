package dev.llmfault.server.admin;

import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Fault;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Scenario;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.Http;
import dev.llmfault.server.testing.SharedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard's routes without a browser (browser-tests/ drives the page itself): headers, token, timeline. */
class DashboardRoutesTest {
    @RegisterExtension
    static final SharedServer server = new SharedServer(b -> b);

    @Test
    void thePageAndItsScriptComeFromTheServerWithAStrictPolicy() {
        Answer page = Http.get(server.admin("/ui"));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.header("Content-Security-Policy")).contains("default-src 'none'").contains("script-src 'self'")
                .contains("connect-src 'self'");
        assertThat(page.body()).contains("<option value=\"RATE_LIMITED\">").contains("<option value=\"OPENAI\">")
                .doesNotContainPattern("(src|href)=\"(https?:)?//");
        Answer script = Http.get(server.admin("/ui/dashboard.js"));
        assertThat(script.status()).isEqualTo(200);
        assertThat(script.header("Content-Type")).startsWith("text/javascript");
        assertThat(server.get().journal().entries()).as("the dashboard is no provider traffic").isEmpty();
    }

    @Test
    void theTimelineDrawsOneBarPerRequestOfTheWindow() {
        server.get().scenarios().add(Scenario.builder(Fault.RATE_LIMITED).times(1).retryAfterMs(500).build());
        Calls.chat(server.get(), Provider.OPENAI, false);
        Calls.chat(server.get(), Provider.OPENAI, false);
        Answer svg = Http.get(server.admin("/timeline.svg"));
        assertThat(svg.status()).isEqualTo(200);
        assertThat(svg.header("Content-Type")).startsWith("image/svg+xml");
        assertThat(svg.body()).startsWith("<svg").containsOnlyOnce("data-outcome=\"injected-error\"")
                .containsOnlyOnce("data-outcome=\"success\"").contains("429 RATE_LIMITED \u00B7 wait 500 ms")
                .contains("EARLY by").doesNotContain("<script");
        assertThat(Http.get(server.admin("/timeline.svg?windowMs=0")).json().path("error").path("field").asText())
                .isEqualTo("windowMs");
        assertThat(Http.get(server.admin("/timeline.svg?since=1")).json().path("error").path("message").asText())
                .contains("since: unknown parameter");
    }

    @Test
    void withAnAdminTokenThePageLoadsButItsDataStaysBehindTheToken() {
        try (FakeLlmServer guarded = FakeLlmServer.builder().allowRemote("dash-token").start()) {
            assertThat(Http.get(guarded.url().resolve("/__admin/ui")).status()).isEqualTo(200);
            assertThat(Http.get(guarded.url().resolve("/__admin/ui/dashboard.js")).status()).isEqualTo(200);
            assertThat(Http.get(guarded.url().resolve("/__admin/timeline.svg")).status()).isEqualTo(401);
            assertThat(Http.get(guarded.url().resolve("/__admin/ui/other")).status()).isEqualTo(401);
            assertThat(Http.send("GET", guarded.url().resolve("/__admin/timeline.svg"),
                    Map.of("Authorization", "Bearer dash-token"), null).status()).isEqualTo(200);
        }
    }
}
