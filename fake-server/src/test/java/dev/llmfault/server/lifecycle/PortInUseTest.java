package dev.llmfault.server.lifecycle;

import dev.llmfault.server.FakeLlmServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A port already taken is named with its host, and the failed start leaves the port to its owner. */
class PortInUseTest {

    @Test
    void aPortInUseIsNamedWithHostAndPort() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> FakeLlmServer.builder().port(port).start())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("cannot listen on 127.0.0.1:" + port + ": the port is already in use")
                    .hasMessageContaining("0 for a free one");
            assertThat(taken.isBound()).isTrue();
        }
        try (FakeLlmServer server = FakeLlmServer.start()) {
            assertThat(server.isRunning()).as("a failed start leaves nothing that stops the next one").isTrue();
        }
    }
}
