package dev.llmfault.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a JFR recording of our server under load and prints where the time and the allocations go:
 * the top frames by CPU samples (self), the methods of our own code by inclusive samples, allocation
 * weight by class, by our own allocating frame and by the first frame outside the JDK (sampled or per-TLAB
 * events, whichever the recording has), and the GC pauses. Used by benchmarks/profile.sh.
 *
 * <pre>{@code java -cp ... dev.llmfault.bench.ProfileMain recording.jfr [top]}</pre>
 */
public final class ProfileMain {
    private static final String OURS = "dev.llmfault.server.";

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> oursInclusive = new HashMap<>();
        Map<String, Long> allocByClass = new HashMap<>();
        Map<String, Long> allocByOurFrame = new HashMap<>();
        Map<String, Long> allocByFirstNonJdk = new HashMap<>();
        List<Duration> pauses = new ArrayList<>();
        long samples = 0;
        long allocTotal = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            String type = e.getEventType().getName();
            switch (type) {
                case "jdk.ExecutionSample" -> {
                    RecordedStackTrace st = e.getStackTrace();
                    if (st == null || st.getFrames().isEmpty()) {
                        continue;
                    }
                    samples++;
                    self.merge(name(st.getFrames().get(0)), 1L, Long::sum);
                    st.getFrames().stream().map(ProfileMain::name).filter(n -> n.startsWith(OURS)).distinct()
                            .forEach(n -> oursInclusive.merge(n, 1L, Long::sum));
                }
                case "jdk.ObjectAllocationSample", "jdk.ObjectAllocationInNewTLAB", "jdk.ObjectAllocationOutsideTLAB" -> {
                    long weight = switch (type) {
                        case "jdk.ObjectAllocationSample" -> e.getLong("weight");
                        case "jdk.ObjectAllocationInNewTLAB" -> e.getLong("tlabSize");
                        default -> e.getLong("allocationSize");
                    };
                    allocTotal += weight;
                    allocByClass.merge(e.getClass("objectClass").getName(), weight, Long::sum);
                    RecordedStackTrace st = e.getStackTrace();
                    String where = "(no frame of ours)";
                    if (st != null) {
                        String library = "(jdk only)";
                        for (RecordedFrame f : st.getFrames()) {
                            String n = name(f);
                            if (!n.startsWith("java.") && !n.startsWith("jdk.") && !n.startsWith("sun.")) {
                                library = n + ":" + f.getLineNumber();
                                break;
                            }
                        }
                        allocByFirstNonJdk.merge(library, weight, Long::sum);
                        for (RecordedFrame f : st.getFrames()) {
                            if (name(f).startsWith(OURS)) {
                                where = name(f) + ":" + f.getLineNumber();
                                break;
                            }
                        }
                    }
                    allocByOurFrame.merge(where, weight, Long::sum);
                }
                case "jdk.GarbageCollection" -> pauses.add(e.getDuration("sumOfPauses"));
                default -> {
                }
            }
        }
        System.out.printf(Locale.ROOT, "CPU samples: %d%n", samples);
        print("top frames (self)", self, samples, top, "%");
        print("our methods (inclusive)", oursInclusive, samples, top, "%");
        System.out.printf(Locale.ROOT, "%nallocation sampled weight: %.0f MB%n", allocTotal / 1e6);
        print("allocation by class", allocByClass, allocTotal, top, "%");
        print("allocation by our frame", allocByOurFrame, allocTotal, top, "%");
        print("allocation by first frame outside the JDK", allocByFirstNonJdk, allocTotal, top, "%");
        pauses.sort(null);
        if (!pauses.isEmpty()) {
            long sum = pauses.stream().mapToLong(Duration::toNanos).sum();
            System.out.printf(Locale.ROOT, "%nGC: %d collections, pauses total %.1f ms, median %.2f ms, max %.2f ms%n",
                    pauses.size(), sum / 1e6, pauses.get(pauses.size() / 2).toNanos() / 1e6,
                    pauses.get(pauses.size() - 1).toNanos() / 1e6);
        }
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static void print(String title, Map<String, Long> counts, long total, int top, String unit) {
        System.out.printf(Locale.ROOT, "%n%s:%n", title);
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
                .forEach(en -> System.out.printf(Locale.ROOT, "  %5.1f%s  %s%n", 100.0 * en.getValue() / total, unit, en.getKey()));
    }
}
