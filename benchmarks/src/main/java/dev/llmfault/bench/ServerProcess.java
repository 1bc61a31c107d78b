package dev.llmfault.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One standalone server in a fresh JVM with default JVM flags, its output in a log file (a pipe nobody
 * drains would stall it). Knows when it first answered 200, how much memory it holds, and how to stop it.
 */
final class ServerProcess implements AutoCloseable {
    private static final Pattern HEAP = Pattern.compile("garbage-first heap\\s+total (\\d+)K, used (\\d+)K");

    final Tool tool;
    final int port;
    private final Process process;
    private final long launchedNanos;

    private ServerProcess(Tool tool, int port, Process process, long launchedNanos) {
        this.tool = tool;
        this.port = port;
        this.process = process;
        this.launchedNanos = launchedNanos;
    }

    /** Runs in the log's folder: MockServer writes its CA certificate into its working directory. */
    static ServerProcess launch(Tool tool, List<String> command, int port, Path log) {
        return launch(tool, command, java.util.Map.of(), port, log);
    }

    /** As above, with these variables added to the environment (the launcher's JAVA_HOME, archive folder, ...). */
    static ServerProcess launch(Tool tool, List<String> command, java.util.Map<String, String> env, int port, Path log) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(log.getParent().toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
        try {
            return new ServerProcess(tool, port, pb.start(), t0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot launch " + command, e);
        }
    }

    /** A port nothing listens on right now. */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Polls every 2 ms with a POST chat completion until one answers 200; returns the time from launch.
     * A server that listens before its stubs are loaded (404) is not ready yet.
     */
    Duration awaitFirst200(String path, String authorization, String body, Duration timeout) {
        long deadline = launchedNanos + timeout.toNanos();
        String last = "nothing";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(tool.label + " exited with " + process.exitValue() + " before answering");
            }
            try {
                int status = LoopbackHttp.post(port, path, authorization, body);
                if (status == 200) {
                    return Duration.ofNanos(System.nanoTime() - launchedNanos);
                }
                last = "status " + status;
            } catch (IOException notYet) {
                last = notYet.getMessage();
            }
            pause(2);
        }
        throw new IllegalStateException(tool.label + " gave no 200 within " + timeout + " (last: " + last + ")");
    }

    long pid() {
        return process.pid();
    }

    /** CPU time the server's JVM has used so far (every thread: request, timer, JIT and GC), in ms. */
    long cpuMs() {
        return process.toHandle().info().totalCpuDuration().map(java.time.Duration::toMillis).orElse(-1L);
    }

    /** Resident memory from /proc/PID/status (VmRSS), in MiB. */
    double rssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no VmRSS for pid " + pid());
    }

    /** The Java heap as jcmd GC.heap_info reports it, optionally after a full GC (then "used" is the live set). */
    Heap heap(boolean afterFullGc) {
        if (afterFullGc) {
            jcmd("GC.run");
        }
        String out = jcmd("GC.heap_info");
        Matcher m = HEAP.matcher(out);
        if (!m.find()) {
            return new Heap(-1, -1);
        }
        return new Heap(Long.parseLong(m.group(1)) / 1024.0, Long.parseLong(m.group(2)) / 1024.0);
    }

    record Heap(double committedMb, double usedMb) {
    }

    private String jcmd(String command) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid()), command));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** SIGTERM, then SIGKILL after 15 s: the next server must find the machine quiet. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
