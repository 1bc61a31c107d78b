package dev.llmfault.server.lifecycle;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** What a server may leave behind: threads, open file descriptors, bound ports. */
final class Resources {
    private Resources() {
    }

    static Set<Thread> threads() {
        return Set.copyOf(Thread.getAllStackTraces().keySet());
    }

    /**
     * The live threads that were not there at the baseline, by name; the test's own HTTP client pool
     * ({@code HttpClient-N-Worker-M}, which grows and shrinks on its own) does not count.
     */
    static List<String> newThreads(Set<Thread> baseline) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !baseline.contains(t) && !t.getName().startsWith("HttpClient-"))
                .map(Thread::getName).sorted(Comparator.naturalOrder()).toList();
    }

    static List<String> serverThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("llmfault-")).sorted().collect(Collectors.toList());
    }

    /**
     * The servers' threads that are doing something now, each as its name and top frames: every live
     * {@code llmfault-} thread except those parked idle in Jetty's pool (waiting for a job, or reserved for one).
     * A burst of connections grows the pool, and its threads linger idle for a while: counting all of them would
     * blame the pool's size on whatever is held.
     */
    static List<String> busyServerThreads() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(t -> t.getKey().isAlive() && t.getKey().getName().startsWith("llmfault-") && !idle(t.getValue()))
                .map(t -> t.getKey().getName() + " " + Arrays.stream(t.getValue()).limit(12).map(String::valueOf)
                        .collect(Collectors.joining(" < ")))
                .sorted().collect(Collectors.toList());
    }

    private static boolean idle(StackTraceElement[] stack) {
        for (StackTraceElement frame : stack) {
            String at = frame.getClassName() + "." + frame.getMethodName();
            if (at.equals("org.eclipse.jetty.util.thread.QueuedThreadPool$Runner.idleJobPoll")
                    || at.equals("org.eclipse.jetty.util.thread.ReservedThreadExecutor$ReservedThread.waitForTask")) {
                return true;
            }
        }
        return false;
    }

    /** Open file descriptors of this JVM (Linux). */
    static int openFileDescriptors() {
        String[] fds = new File("/proc/self/fd").list();
        if (fds == null) {
            throw new IllegalStateException("/proc/self/fd is not readable: these checks need Linux");
        }
        return fds.length;
    }

    /** True when nothing listens on the port any more: a new server could bind it. */
    static boolean portIsFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true); // as Jetty binds: connections of the old server in TIME_WAIT do not count
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
