package dev.llmfault.junit.internal;

import dev.llmfault.junit.FaultCase;
import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Provider;
import dev.llmfault.server.ReplyRule;
import dev.llmfault.server.Scenario;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;

/**
 * Everything one test runs with: its view of the server, its key (when it took one), its matrix case and the
 * scenarios installed for it. Kept in the test's store and closed with it: the test's scenarios are removed
 * from a shared server, and a server of its own is stopped.
 *
 * @param handle          what the test sees: the shared server, its own server, or a view scoped to its key
 * @param apiKey          the test's generated key, or null when the test owns the whole server
 * @param defaultProvider the provider of {@code @LlmBaseUrl} parameters that name none
 * @param matrixCase      the current case of an {@code @LlmFaultMatrix}, or null
 * @param installed       the scenarios installed for this test, with their ids
 * @param replies         the reply rules installed for this test, with their ids
 * @param ownServer       a server started for this test alone, or null
 * @param policyUndo      undoes the policies the test's annotations set on a shared server when it ends, or null
 */
@SuppressWarnings("deprecation") // CloseableResource: see ServerResource
public record TestSession(FakeLlmServer handle, String apiKey, Provider defaultProvider, FaultCase matrixCase,
                          List<Scenario> installed, List<ReplyRule> replies, FakeLlmServer ownServer,
                          Runnable policyUndo)
        implements AutoCloseable, ExtensionContext.Store.CloseableResource {

    public TestSession {
        installed = List.copyOf(installed);
        replies = List.copyOf(replies);
    }

    public boolean scoped() {
        return apiKey != null;
    }

    @Override
    public void close() {
        if (ownServer != null) {
            if (handle != ownServer) {
                handle.close();
            }
            ownServer.close();
            return;
        }
        for (Scenario s : installed) {
            handle.scenarios().remove(s.id()); // leave a shared server as the test found it
        }
        for (ReplyRule r : replies) {
            handle.replies().remove(r.id());
        }
        if (policyUndo != null) {
            policyUndo.run();
        }
        if (scoped()) {
            handle.close(); // a scoped view only lets go; the shared server is closed with its class
        }
    }
}
