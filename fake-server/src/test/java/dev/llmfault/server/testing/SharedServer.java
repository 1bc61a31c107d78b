package dev.llmfault.server.testing;

import dev.llmfault.server.FakeLlmServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.net.URI;
import java.util.function.UnaryOperator;

/**
 * One {@link FakeLlmServer} for all the tests of a class: started before the first test, reset after each
 * (scenarios, policies, counters and journal back to how it was built), closed after the last. Register it
 * on a static field, as OkHttp's MockWebServer extension:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final SharedServer server = new SharedServer(b -> b.replyText("Hi"));
 *
 * @Test
 * void answers() {
 *     assertThat(Calls.chat(server.get(), Provider.OPENAI, false).status()).isEqualTo(200);
 * }
 * }</pre>
 */
public final class SharedServer implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    private final UnaryOperator<FakeLlmServer.Builder> configure;
    private FakeLlmServer server;

    /** A server with the defaults. */
    public SharedServer() {
        this(UnaryOperator.identity());
    }

    /** A server built with these settings; the reset after each test returns to them. */
    public SharedServer(UnaryOperator<FakeLlmServer.Builder> configure) {
        this.configure = configure;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = configure.apply(FakeLlmServer.builder()).start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        get().reset();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** The running server. */
    public FakeLlmServer get() {
        if (server == null) {
            throw new IllegalStateException("SharedServer starts before all tests: register it with @RegisterExtension "
                    + "on a static field (on an instance field JUnit never calls its beforeAll)");
        }
        return server;
    }

    /** A URL of the admin API: {@code admin("/scenarios")} is {@code http://127.0.0.1:PORT/__admin/scenarios}. */
    public URI admin(String path) {
        return get().url().resolve("/__admin" + path);
    }
}
