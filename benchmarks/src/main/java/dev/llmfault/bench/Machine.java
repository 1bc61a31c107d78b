package dev.llmfault.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** What the machine is, for RESULTS.md. */
final class Machine {
    private Machine() {
    }

    static String cpuModel() {
        return procLine("/proc/cpuinfo", "model name").replaceFirst("^[^:]*:\\s*", "");
    }

    static double memoryGiB() {
        String line = procLine("/proc/meminfo", "MemTotal");
        String digits = line.replaceAll("\\D", "");
        return digits.isEmpty() ? -1 : Long.parseLong(digits) / 1024.0 / 1024.0;
    }

    /** The 1-minute load average: on a shared box, how many others wanted the cores at that moment. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    static String wrkVersion() {
        try {
            Process p = new ProcessBuilder("wrk", "-v").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor(5, TimeUnit.SECONDS);
            String first = out.lines().findFirst().orElse("wrk");
            int copyright = first.indexOf(" Copyright");
            return copyright > 0 ? first.substring(0, copyright) : first;
        } catch (IOException e) {
            return "wrk (version unknown)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "wrk";
        }
    }

    private static String procLine(String file, String prefix) {
        try {
            return Files.readAllLines(Path.of(file)).stream().filter(l -> l.startsWith(prefix)).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
