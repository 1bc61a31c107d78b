package dev.llmfault.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * The real standalone jar in its own JVM, as a user starts it. Its output goes to files under
 * {@code target/standalone/} so a test can read it while it runs and after it stopped.
 */
public final class Standalone implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("ready at (http://[^ ]+:(\\d+))");

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private Standalone(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** The shaded jar that failsafe points at (see fake-server/pom.xml). */
    public static Path jar() {
        String jar = System.getProperty("llmfault.standalone.jar");
        if (jar == null) {
            throw new IllegalStateException("run through failsafe: -Dllmfault.standalone.jar is not set");
        }
        Path p = Paths.get(jar);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("no standalone jar at " + p + ": run 'mvn package' first");
        }
        return p;
    }

    public static Path workDir() {
        try {
            Path dir = jar().getParent().resolve("standalone");
            Files.createDirectories(dir);
            return Files.createTempDirectory(dir, "run-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Launches {@code java -jar llmfault-server.jar ARGS} without waiting for anything. */
    public static Standalone launch(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xshare:auto");
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(List.of(args));
        return launch(command, Map.of());
    }

    /** The distribution's launcher, unpacked by the build in target/llmfault-server/ (see fake-server/pom.xml). */
    public static Path launcher() {
        Path p = jar().getParent().resolve("llmfault-server/bin/llmfault-server");
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("no launcher at " + p + ": run 'mvn package' first");
        }
        return p;
    }

    /** Launches {@code bin/llmfault-server ARGS} with these environment variables, on this JVM. */
    public static Standalone launchViaLauncher(Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of("/bin/sh", launcher().toString()));
        command.addAll(List.of(args));
        Map<String, String> all = new HashMap<>(env);
        all.putIfAbsent("JAVA_HOME", System.getProperty("java.home"));
        return launch(command, all);
    }

    private static Standalone launch(List<String> command, Map<String, String> env) {
        Path dir = workDir();
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().remove("JAVA_OPTS");
            pb.environment().putAll(env);
            return new Standalone(pb.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Launches and waits for the ready line. */
    public static Standalone start(String... args) {
        return awaitReady(launch(args));
    }

    /** Starts through the launcher and waits for the ready line (the first start also makes the class-data archive). */
    public static Standalone startViaLauncher(Map<String, String> env, String... args) {
        return awaitReady(launchViaLauncher(env, args));
    }

    private static Standalone awaitReady(Standalone s) {
        try {
            await().pollInSameThread().pollInterval(Duration.ofMillis(20)).atMost(Duration.ofSeconds(90))
                    .until(() -> s.readyUrl() != null || !s.process.isAlive());
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        if (s.readyUrl() == null) {
            throw new AssertionError("the server did not start: exit " + s.process.exitValue() + "\nstdout: "
                    + s.stdout() + "\nstderr: " + s.stderr());
        }
        return s;
    }

    /** Runs to completion (for --help, bad flags, bad configs) and returns the exit code. */
    public static Standalone run(String... args) {
        Standalone s = launch(args);
        s.awaitExit(Duration.ofSeconds(30));
        return s;
    }

    /** The JVM's command line, from /proc (the launcher execs java, so the process is the JVM itself). */
    public List<String> commandLine() {
        try {
            String raw = Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"), StandardCharsets.UTF_8);
            return List.of(raw.split("\0"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Process process() {
        return process;
    }

    public String stdout() {
        return read(stdout);
    }

    public String stderr() {
        return read(stderr);
    }

    /** The URL of the ready line, or null before it is printed. */
    public URI readyUrl() {
        Matcher m = READY.matcher(stdout());
        return m.find() ? URI.create(m.group(1)) : null;
    }

    public int port() {
        return readyUrl().getPort();
    }

    public boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public int exitCode() {
        return process.exitValue();
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGTERM, then SIGKILL if it is still running after 10 s: no test leaves a server behind. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            if (!awaitExit(Duration.ofSeconds(10))) {
                process.destroyForcibly();
                awaitExit(Duration.ofSeconds(5));
            }
        }
    }
}
