package dev.llmfault.junit.internal;

import dev.llmfault.junit.FaultCase;
import dev.llmfault.junit.LlmFaultExtension;
import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.ReplyRule;
import dev.llmfault.server.Scenario;
import dev.llmfault.server.ServerSettings;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;

import java.lang.reflect.Method;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Opens a test's session: picks the server (remote, the class's shared one, or one of its own), decides the
 * isolation (a key-scoped view, or the whole server reset), and installs the test's scenarios and reply rules. All state lives
 * in the {@link ExtensionContext.Store}: the extension object holds none.
 */
public final class Sessions {
    public static final Namespace NAMESPACE = Namespace.create("dev.llmfault.junit");

    private record EmbeddedKey(ServerSettings settings) {
    }

    /** The token takes part so that two tokens never share a handle; records do not print it (no toString use). */
    private record RemoteKey(Target.Remote remote, String token) {
    }

    private Sessions() {
    }

    /** The session of the test of this context, or empty outside a test. */
    public static Optional<TestSession> current(ExtensionContext context) {
        return Optional.ofNullable(context.getStore(NAMESPACE).get(TestSession.class, TestSession.class));
    }

    /** Opens the session of a test (once; later calls return it). */
    public static TestSession open(ExtensionContext context, Settings programmatic) {
        Optional<TestSession> existing = current(context);
        if (existing.isPresent()) {
            return existing.get();
        }
        Class<?> testClass = context.getRequiredTestClass();
        Method method = context.getRequiredTestMethod();
        Settings settings = programmatic != null ? programmatic : Settings.fromAnnotations(testClass, method);
        Settings classSettings = programmatic != null ? programmatic : Settings.forClass(testClass);
        FaultCase matrixCase = context.getStore(NAMESPACE).get(FaultCase.class, FaultCase.class);

        // read and check every declaration before anything starts: a wrong value fails the test at start
        List<Scenario> scenarios = new ArrayList<>();
        if (matrixCase != null) {
            scenarios.add(MatrixCases.scenarioFor(matrixCase, method));
        }
        scenarios.addAll(settings.scenarios());
        scenarios.addAll(ScenarioAnnotations.forTest(testClass, method));
        List<ReplyRule> replies = ReplyAnnotations.forTest(testClass, method);
        PolicyAnnotations.Declared policies = PolicyAnnotations.forTest(testClass, method);

        boolean wantsKey = Keys.wanted(testClass, method);
        Optional<Target.Remote> remote = Target.remote(context);
        FakeLlmServer server;
        FakeLlmServer own = null;
        if (remote.isPresent()) {
            java.nio.file.Path replay = settings.server().replay().orElse(null);
            if (replay != null) {
                throw ConfigErrors.of("@LlmFaultTest(replay = \"" + replay + "\") needs an embedded "
                        + "server, but this run uses the remote server of " + remote.get() + ": start that server with "
                        + "--replay " + replay + " instead");
            }
            server = remoteServer(context, remote.get());
        } else if (settings.serverPerMethod() || !settings.server().equals(classSettings.server())) {
            server = own = settings.start();
        } else {
            server = classServer(context, classSettings);
        }
        if (own == null && !wantsKey && Target.concurrent(context, remote.isPresent())) {
            throw ConfigErrors.of("@LlmFaultTest: " + Declared.describe(method) + " runs concurrently with other tests"
                    + " on a shared " + (remote.isPresent() ? "remote " : "") + "server but does not take its own key,"
                    + " so its scenarios and journal would mix with theirs (and resetting the server would wipe"
                    + " theirs): add a parameter '@LlmApiKey String apiKey' and send that key"
                    + (remote.isPresent() ? "" : ", or set @LlmFaultTest(serverPerMethod = true), or run the class in"
                    + " the same thread (@Execution(ExecutionMode.SAME_THREAD))"));
        }
        String key = null;
        FakeLlmServer handle = server;
        if (wantsKey) {
            key = Keys.generate();
            String token = remote.isPresent() ? Target.remoteToken(context)
                    : (own != null ? settings : classSettings).server().adminToken();
            handle = FakeLlmServer.connect(Keys.scopedUrl(server.url(), key), token);
        } else if (remote.isPresent()) {
            // A remote server may be shared with other runs: never reset it. The test's view starts now (its
            // journal shows the requests from here on) and its scenarios are removed when it ends.
            handle = FakeLlmServer.connect(URI.create(server.url() + "?view=own"), Target.remoteToken(context));
        } else {
            handle.reset();
        }
        // Policies are server-wide: they go on the unscoped server, which the test must have to itself.
        Runnable policyUndo = null;
        if (policies.any()) {
            if (own == null && Target.concurrent(context, remote.isPresent())) {
                throw ConfigErrors.of("@LlmRateLimit/@LlmCredentials/@LlmNetwork/@LlmVersions on " + policies.origin()
                        + ": policies are server-wide, but " + Declared.describe(method) + " shares its server with"
                        + " tests running at the same time: set @LlmFaultTest(serverPerMethod = true) or run the class"
                        + " in the same thread (@Execution(ExecutionMode.SAME_THREAD))");
            }
            if (own == null && remote.isPresent()) {
                policyUndo = PolicySnapshot.of(server.policies(), policies)::restore; // only what the test changes
            } else if (own == null) {
                if (wantsKey) {
                    server.reset(); // the test has the server to itself: a clean slate (done above without a key)
                }
                policyUndo = server::reset; // its policies back to the configured start, counters afresh
            }
            applyPolicies(server, policies);
        }
        List<Scenario> installed = new ArrayList<>();
        List<ReplyRule> installedReplies = new ArrayList<>();
        TestSession session;
        try {
            for (Scenario s : scenarios) {
                installed.add(handle.scenarios().add(s));
            }
            for (ReplyRule r : replies) {
                installedReplies.add(handle.replies().add(r)); // scoped to the test's key in a keyed view
            }
        } catch (RuntimeException e) {
            new TestSession(handle, key, settings.provider(), matrixCase, installed, installedReplies, own, policyUndo)
                    .close();
            throw e;
        }
        session = new TestSession(handle, key, settings.provider(), matrixCase, installed, installedReplies, own,
                policyUndo);
        context.getStore(NAMESPACE).put(TestSession.class, session);
        return session;
    }

    private static void applyPolicies(FakeLlmServer server, PolicyAnnotations.Declared declared) {
        if (declared.credentials() != null) server.policies().credentials(declared.credentials());
        if (declared.rateLimits() != null) server.policies().rateLimits(declared.rateLimits());
        if (declared.network() != null) server.policies().network(declared.network());
        if (declared.versions() != null) server.policies().versions(declared.versions());
    }

    /** The shared server of the class (or of an enclosing class with the same settings), started on first use. */
    public static FakeLlmServer classServer(ExtensionContext context, Settings classSettings) {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent(new EmbeddedKey(classSettings.server()),
                k -> new ServerResource(classSettings.start()), ServerResource.class).server();
    }

    /** One handle per remote URL for the whole run. */
    public static FakeLlmServer remoteServer(ExtensionContext context, Target.Remote remote) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(new RemoteKey(remote, Target.remoteToken(context)), k -> {
            try {
                return new ServerResource(FakeLlmServer.connect(k.remote().url(), k.token()));
            } catch (IllegalArgumentException | IllegalStateException e) {
                // name the setting the user actually used, so they know what to fix (or unset)
                throw ConfigErrors.of(k.remote().setting() + " = " + k.remote().url() + ": " + e.getMessage());
            }
        }, ServerResource.class).server();
    }
}
