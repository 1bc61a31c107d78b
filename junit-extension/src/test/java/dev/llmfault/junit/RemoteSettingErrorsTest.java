package dev.llmfault.junit;

import dev.llmfault.junit.fixtures.RecoveryFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

import java.io.IOException;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;

/** A remote server that cannot be reached, or a URL that is no URL: the error names the setting the user set. */
class RemoteSettingErrorsTest {

    static String deadUrl() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + socket.getLocalPort(); // closed again when the test connects
        }
    }

    @Test
    void anUnreachableServerNamesTheConfigurationParameter() throws IOException {
        String url = deadUrl();

        FixtureRun run = FixtureRun.run(RecoveryFixture.class, "llmfault.server.url", url);

        assertThat(run.failure("recoversFromRateLimit")).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageStartingWith("the configuration parameter llmfault.server.url = " + url + ": ");
    }

    @Test
    void anUnreachableServerNamesTheSystemPropertyWhenThatIsWhatWasSet() throws IOException {
        String url = deadUrl();
        // The launcher reads configuration parameters with a fallback to system properties; EngineTestKit has no
        // such fallback, so the parameter is passed as the launcher would see it.
        System.setProperty("llmfault.server.url", url); // this module's tests run one at a time
        try {
            FixtureRun run = FixtureRun.run(RecoveryFixture.class, "llmfault.server.url", url);

            assertThat(run.failure("recoversFromRateLimit")).isInstanceOf(ExtensionConfigurationException.class)
                    .hasMessageStartingWith("the system property llmfault.server.url = " + url + ": ");
        } finally {
            System.clearProperty("llmfault.server.url");
        }
    }

    @Test
    void aUrlThatIsNoUrlNamesTheSettingAndAnExample() {
        FixtureRun run = FixtureRun.run(RecoveryFixture.class, "llmfault.server.url", "http://127.0.0.1:8089/ bad");

        assertThat(run.failure("recoversFromRateLimit")).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("the configuration parameter llmfault.server.url: invalid value")
                .hasMessageContaining("http://127.0.0.1:8089");
    }
}
