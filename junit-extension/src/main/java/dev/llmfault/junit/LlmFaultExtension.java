package dev.llmfault.junit;

import dev.llmfault.junit.internal.ConfigErrors;
import dev.llmfault.junit.internal.CurrentTest;
import dev.llmfault.junit.internal.MatrixCases;
import dev.llmfault.junit.internal.Sessions;
import dev.llmfault.junit.internal.Settings;
import dev.llmfault.junit.internal.Target;
import dev.llmfault.junit.internal.TestSession;
import dev.llmfault.junit.internal.Timeline;
import dev.llmfault.junit.internal.logs.LogCapture;
import dev.llmfault.junit.internal.logs.LogSettings;
import dev.llmfault.junit.internal.secrets.TestSecrets;
import dev.llmfault.junit.internal.report.RunReport;
import dev.llmfault.junit.internal.report.TestRecord;
import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.Provider;
import dev.llmfault.server.RequestJournal;
import dev.llmfault.server.Scenario;
import dev.llmfault.server.ServerSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.platform.commons.support.AnnotationSupport;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The JUnit Jupiter extension behind {@link LlmFaultTest} and {@link LlmFaultMatrix}: it runs the fake server,
 * installs each test's scenarios, injects parameters and, when a test fails, reports the request timeline; at the
 * end of the run it writes the resilience report ({@code target/llmfault-report/index.html}, see {@link LlmFaultTest}).
 * Usually registered by {@code @LlmFaultTest}; register it yourself to configure the server in code:
 *
 * <pre>{@code
 * class StreamingTest {
 *     @RegisterExtension
 *     static LlmFaultExtension llm = LlmFaultExtension.builder()
 *             .replyText("Hello from the fake")
 *             .chunkDelay(Duration.ofMillis(5))
 *             .scenario(Scenario.builder(Fault.OVERLOADED).every(5).build())
 *             .build();
 *
 *     @Test
 *     void streams(FakeLlmServer server) { ... }
 * }
 * }</pre>
 *
 * <p>Parallel execution is safe: the extension object is immutable and every server, session and case lives in
 * the {@link ExtensionContext.Store}; no JVM-wide setting is changed. See {@link LlmFaultTest} for the
 * isolation rules and remote mode.
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class LlmFaultExtension implements BeforeEachCallback, AfterTestExecutionCallback, AfterEachCallback,
        ParameterResolver, TestTemplateInvocationContextProvider, TestWatcher {

    /**
     * Configuration parameter (or system property) naming a standalone server to drive instead of starting an
     * embedded one, for example {@code -Dllmfault.server.url=http://127.0.0.1:8089} or a line in
     * {@code junit-platform.properties}. See {@link LlmFaultTest} (remote mode).
     */
    public static final String SERVER_URL_PROPERTY = "llmfault.server.url";
    /** Environment variable read when {@link #SERVER_URL_PROPERTY} is not set. */
    public static final String SERVER_URL_ENV = "LLMFAULT_SERVER_URL";
    /**
     * Configuration parameter (or system property) with the admin token of the remote server, when it was
     * started with {@code --admin-token}: sent as {@code Authorization: Bearer} on every admin call.
     */
    public static final String SERVER_TOKEN_PROPERTY = "llmfault.server.token";
    /** Environment variable read when {@link #SERVER_TOKEN_PROPERTY} is not set. */
    public static final String SERVER_TOKEN_ENV = "LLMFAULT_SERVER_TOKEN";
    /**
     * Configuration parameter: {@code false} stops printing the request timeline of failed tests to standard
     * output (it is still published as the report entry {@link #TIMELINE_REPORT_KEY}). Default {@code true}.
     */
    public static final String TIMELINE_PRINT_PROPERTY = "llmfault.timeline.print";
    /** The key of the report entry that carries a failed test's request timeline (masked keys). */
    public static final String TIMELINE_REPORT_KEY = "llmfault.timeline";
    /**
     * The key of the report entry that carries what a failed test logged, credentials masked, when it captured
     * its logs ({@link LlmFaultTest#captureLogs()} or a {@link CapturedLogs} parameter).
     */
    public static final String LOGS_REPORT_KEY = "llmfault.logs";
    /**
     * Configuration parameter (or system property): {@code false} writes no resilience report at the end of the
     * run. Default {@code true}. See {@link LlmFaultTest} (report).
     */
    public static final String REPORT_PROPERTY = "llmfault.report";
    /**
     * Configuration parameter (or system property): the directory of the resilience report, by default
     * {@code target/llmfault-report} (relative to the working directory).
     */
    public static final String REPORT_DIR_PROPERTY = "llmfault.report.dir";

    /** The builder's settings, or null for the instance registered by annotations (which reads them per test). */
    private final Settings settings;

    /** The instance {@code @LlmFaultTest} registers: its settings come from the annotations. */
    public LlmFaultExtension() {
        this(null);
    }

    private LlmFaultExtension(Settings settings) {
        this.settings = settings;
    }

    /** Configures an extension for {@code @RegisterExtension}. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (active(context)) {
            RunReport.of(context).ifPresent(r -> r.started(context,
                    context.getStore(Sessions.NAMESPACE).get(FaultCase.class, FaultCase.class)));
            TestSession session = Sessions.open(context, settings);
            var secrets = TestSecrets.of(session, context.getRequiredTestClass(), context.getRequiredTestMethod());
            CurrentTest.set(new CurrentTest.Context(secrets, session.handle().journal()));
            if (LogsResource.wanted(context)) {
                LogCapture capture = LogCapture.start(); // on the test's thread: its lines are the test's
                context.getStore(Sessions.NAMESPACE).put(LogsResource.class,
                        new LogsResource(capture, new CapturedLogs(capture, session.handle().journal(), secrets)));
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!active(context)) {
            return;
        }
        CurrentTest.clear();
        LogsResource logs = context.getStore(Sessions.NAMESPACE).remove(LogsResource.class, LogsResource.class);
        if (logs != null) {
            logs.close(); // every hook removed, System.out and System.err restored, before the next test starts
        }
    }

    /** A test's captured logs, closed after its {@code @AfterEach} methods (or with the store, if that comes first). */
    @SuppressWarnings("deprecation") // CloseableResource: see ServerResource
    private record LogsResource(LogCapture capture, CapturedLogs logs)
            implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        /** A {@code CapturedLogs} parameter on the test or a {@code @BeforeEach}/{@code @AfterEach} method, or captureLogs. */
        static boolean wanted(ExtensionContext context) {
            return LogSettings.captureLogs(context.getRequiredTestClass(), context.getRequiredTestMethod());
        }

        @Override
        public void close() {
            capture.close();
        }
    }

    /** A fresh registry per test, for a {@code MeterRegistry} parameter. */
    @SuppressWarnings("deprecation")
    private record MetersResource(SimpleMeterRegistry registry)
            implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            registry.close();
        }
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        Optional<Throwable> failure = context.getExecutionException();
        Optional<TestSession> session = Sessions.current(context);
        if (session.isEmpty() || !active(context)) {
            return;
        }
        Optional<RunReport> report = RunReport.of(context);
        if (failure.isEmpty() && report.isEmpty()) {
            return;
        }
        String timeline;
        try {
            List<JournalEntry> entries = session.get().handle().journal().entries();
            report.ifPresent(r -> r.requests(context, entries));
            timeline = entries.size() + " request(s) seen by the fake LLM server" + System.lineSeparator()
                    + Timeline.of(entries);
        } catch (RuntimeException e) {
            timeline = "the request timeline could not be read: " + e.getMessage();
        }
        if (failure.isEmpty()) {
            return;
        }
        context.publishReportEntry(TIMELINE_REPORT_KEY, timeline);
        LogsResource logs = context.getStore(Sessions.NAMESPACE).get(LogsResource.class, LogsResource.class);
        if (logs != null) {
            context.publishReportEntry(LOGS_REPORT_KEY, logs.logs().lines().size() + " line(s) logged during the test,"
                    + " credentials masked" + System.lineSeparator() + logs.logs().masked(200));
        }
        if (Target.printTimeline(context)) {
            System.out.println("[llmfault] " + context.getDisplayName() + " failed; " + timeline);
        }
    }

    @Override
    public void testSuccessful(ExtensionContext context) {
        finished(context, TestRecord.Outcome.PASSED, null);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        finished(context, TestRecord.Outcome.FAILED, cause);
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        finished(context, TestRecord.Outcome.SKIPPED, cause);
    }

    @Override
    public void testDisabled(ExtensionContext context, Optional<String> reason) {
        finished(context, TestRecord.Outcome.SKIPPED, reason.map(IllegalStateException::new).orElse(null));
    }

    /** The report's last word on a test (a watcher must never throw: a broken report must not fail the run). */
    private void finished(ExtensionContext context, TestRecord.Outcome outcome, Throwable cause) {
        try {
            if (active(context)) {
                RunReport.of(context).ifPresent(r -> r.finished(context, outcome, cause));
            }
        } catch (RuntimeException e) {
            System.err.println("[llmfault] the report could not record " + context.getDisplayName() + ": " + e);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (parameter.isAnnotated(LlmBaseUrl.class)) {
            if (type != URI.class && type != String.class) {
                throw new ParameterResolutionException("@LlmBaseUrl goes on a URI or String parameter, not on "
                        + parameter.getParameter() + " of " + parameter.getDeclaringExecutable());
            }
            return active(context);
        }
        if (parameter.isAnnotated(LlmApiKey.class)) {
            if (type != String.class) {
                throw new ParameterResolutionException("@LlmApiKey goes on a String parameter, not on "
                        + parameter.getParameter() + " of " + parameter.getDeclaringExecutable());
            }
            return active(context);
        }
        return (type == FakeLlmServer.class || type == RequestJournal.class || type == FaultCase.class
                || type == CapturedLogs.class || type == MeterRegistry.class) && active(context);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        Optional<TestSession> session = context.getTestMethod().isPresent()
                ? Optional.of(Sessions.open(context, settings)) : Optional.empty();
        if (type == FaultCase.class) {
            return session.map(TestSession::matrixCase).orElseThrow(() -> new ParameterResolutionException(
                    "a FaultCase is injected only into @LlmFaultMatrix tests, not into "
                            + parameter.getDeclaringExecutable()));
        }
        if (type == CapturedLogs.class) {
            LogsResource logs = context.getStore(Sessions.NAMESPACE).get(LogsResource.class, LogsResource.class);
            if (logs == null) {
                throw new ParameterResolutionException("CapturedLogs belong to one test: take them in a test, @BeforeEach"
                        + " or @AfterEach method, not in " + parameter.getDeclaringExecutable());
            }
            return logs.logs();
        }
        if (type == MeterRegistry.class) {
            if (session.isEmpty()) {
                throw new ParameterResolutionException("a MeterRegistry belongs to one test: take it in a test, @BeforeEach"
                        + " or @AfterEach method, not in " + parameter.getDeclaringExecutable());
            }
            return context.getStore(Sessions.NAMESPACE).getOrComputeIfAbsent(MetersResource.class,
                    k -> new MetersResource(new SimpleMeterRegistry()), MetersResource.class).registry();
        }
        if (parameter.isAnnotated(LlmApiKey.class)) {
            return session.map(TestSession::apiKey).orElseThrow(() -> new ParameterResolutionException(
                    "an @LlmApiKey belongs to one test: take it in a test or @BeforeEach method, not in "
                            + parameter.getDeclaringExecutable()));
        }
        FakeLlmServer server = session.map(TestSession::handle).orElseGet(() -> classServer(context));
        if (type == FakeLlmServer.class) {
            return server;
        }
        if (type == RequestJournal.class) {
            return server.journal();
        }
        LlmBaseUrl wanted = parameter.findAnnotation(LlmBaseUrl.class).orElseThrow();
        URI url = wanted.alias().isEmpty() ? server.baseUrl(baseUrlProvider(parameter, session.orElse(null), context))
                : aliasUrl(server, wanted, parameter);
        return type == URI.class ? url : url.toString();
    }

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return context.getTestMethod().map(MatrixCases::isMatrix).orElse(false) && active(context);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        Settings s = settings != null ? settings
                : Settings.fromAnnotations(context.getRequiredTestClass(), context.getRequiredTestMethod());
        return MatrixCases.invocations(context.getRequiredTestMethod(), s).stream();
    }

    private FakeLlmServer classServer(ExtensionContext context) {
        Optional<Target.Remote> remote = Target.remote(context);
        if (remote.isPresent()) {
            return Sessions.remoteServer(context, remote.get());
        }
        Settings classSettings = settings != null ? settings : Settings.forClass(context.getTestClass().orElse(null));
        if (classSettings.serverPerMethod()) {
            throw new ParameterResolutionException("with serverPerMethod = true each test has its own server: there is"
                    + " no class server to inject into " + context.getDisplayName());
        }
        return Sessions.classServer(context, classSettings);
    }

    private static URI aliasUrl(FakeLlmServer server, LlmBaseUrl wanted, ParameterContext parameter) {
        String where = "@LlmBaseUrl(alias = \"" + wanted.alias() + "\") on " + parameter.getParameter() + " of "
                + parameter.getDeclaringExecutable();
        if (wanted.value().length > 0) {
            throw new ParameterResolutionException(where + ": name a provider or an alias, not both");
        }
        try {
            return server.baseUrl(wanted.alias());
        } catch (IllegalArgumentException e) {
            throw new ParameterResolutionException(where + ": " + e.getMessage()
                    + " (declare it with @LlmFaultTest(aliases = \"NAME=/BASE/PATH\"), or --alias on a standalone server)");
        }
    }

    private Provider baseUrlProvider(ParameterContext parameter, TestSession session, ExtensionContext context) {
        Provider[] named = parameter.findAnnotation(LlmBaseUrl.class).orElseThrow().value();
        if (named.length > 1) {
            throw new ParameterResolutionException("@LlmBaseUrl(" + List.of(named) + ") on " + parameter.getParameter()
                    + ": name at most one provider");
        }
        if (named.length == 1) {
            return named[0];
        }
        if (session != null && session.matrixCase() != null) {
            return session.matrixCase().provider();
        }
        if (session != null) {
            return session.defaultProvider();
        }
        return (settings != null ? settings : Settings.forClass(context.getTestClass().orElse(null))).provider();
    }

    /**
     * Whether this instance serves the test. When a class registers an instance with {@code @RegisterExtension}
     * and also carries {@code @LlmFaultTest} (or {@code @LlmFaultMatrix}), the registered instance alone acts,
     * so a test never gets two servers or two answers for one parameter.
     */
    private boolean active(ExtensionContext context) {
        Optional<Class<?>> testClass = context.getTestClass();
        if (testClass.isEmpty()) {
            return true;
        }
        List<LlmFaultExtension> registered = new ArrayList<>(AnnotationSupport.findAnnotatedFieldValues(
                testClass.get(), RegisterExtension.class, LlmFaultExtension.class));
        context.getTestInstance().ifPresent(instance -> registered.addAll(
                AnnotationSupport.findAnnotatedFieldValues(instance, RegisterExtension.class, LlmFaultExtension.class)));
        return registered.isEmpty() || registered.stream().anyMatch(e -> e == this);
    }

    /**
     * Configures a {@link LlmFaultExtension} in code: every setter of {@link ServerSettings.Setter} for the
     * embedded server, plus how tests use it. Each test gets the builder's scenarios, then those of its
     * {@link LlmFaultScenario} annotations; the builder's settings replace those of {@link LlmFaultTest}.
     * In remote mode the server settings are ignored: the standalone server's own configuration applies.
     *
     * <pre>{@code
     * @RegisterExtension
     * static LlmFaultExtension llm = LlmFaultExtension.builder().serverPerMethod(true).provider(Provider.COHERE).build();
     * }</pre>
     */
    @API(status = API.Status.STABLE, since = "0.1")
    public static final class Builder extends ServerSettings.Setter<Builder> {
        private boolean serverPerMethod;
        private Provider provider = Provider.OPENAI;

        private Builder() {
        }

        @Override
        protected Builder self() {
            return this;
        }

        /** One server per test instead of one per class. */
        public Builder serverPerMethod(boolean serverPerMethod) {
            this.serverPerMethod = serverPerMethod;
            return this;
        }

        /** The provider of {@code @LlmBaseUrl} parameters and matrix cases that name none. */
        public Builder provider(Provider provider) {
            this.provider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /**
         * A scenario installed for every test, before the annotated ones (on a shared server it is removed when
         * the test ends; in a test that takes its {@code @LlmApiKey}, it matches only that key).
         */
        @Override
        public Builder scenario(Scenario scenario) {
            return super.scenario(scenario);
        }

        /**
         * The extension.
         *
         * @throws org.junit.jupiter.api.extension.ExtensionConfigurationException naming a bad setting
         */
        public LlmFaultExtension build() {
            ServerSettings all;
            try {
                all = settings();
            } catch (IllegalArgumentException e) {
                throw ConfigErrors.of("LlmFaultExtension.builder(): " + e.getMessage());
            }
            ServerSettings server = all.toBuilder().scenarios(List.of()).build();
            return new LlmFaultExtension(new Settings(serverPerMethod, provider, server, all.scenarios(),
                    "the LlmFaultExtension builder"));
        }
    }
}
