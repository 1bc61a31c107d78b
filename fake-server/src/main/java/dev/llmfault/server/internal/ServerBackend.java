package dev.llmfault.server.internal;

import dev.llmfault.server.Policies;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Replies;
import dev.llmfault.server.RequestJournal;
import dev.llmfault.server.Scenarios;

import java.net.URI;

/**
 * What stands behind a {@code FakeLlmServer} handle: a server running in this JVM, or a standalone one
 * driven through its admin API. Tests see the same handle either way.
 */
public interface ServerBackend {

    URI baseUrl(Provider provider);

    /**
     * The base URL of an OpenAI-compatible vendor the server serves under its own path ({@code --alias}).
     *
     * @throws IllegalArgumentException naming the aliases the server has, when it has no such alias
     */
    URI baseUrl(String alias);

    /** The root URL, where the admin API lives under {@code /__admin}. */
    URI url();

    int port();

    RequestJournal journal();

    Scenarios scenarios();

    Replies replies();

    Policies policies();

    void reset();

    void close();
}
