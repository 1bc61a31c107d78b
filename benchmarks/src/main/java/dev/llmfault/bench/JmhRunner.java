package dev.llmfault.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.internal.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one tool's JMH class in its own JVM, on that tool's own class path, and reads JMH's JSON result.
 * The forks JMH makes inherit that class path.
 */
final class JmhRunner {
    record Score(double value, double error, String unit) {
    }

    static Map<String, Score> run(Tool tool, String classpath, Path resultFile, Path log) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "-cp", classpath, "org.openjdk.jmh.Main",
                "^dev\\.llmfault\\.bench\\.jmh\\." + tool.jmhClass + "\\.", "-rf", "json", "-rff", resultFile.toString(),
                "-foe", "true");
        try {
            Process p = new ProcessBuilder(cmd).directory(log.getParent().toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("JMH for " + tool.label + " did not end within 5 minutes; see " + log);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("JMH for " + tool.label + " failed (exit " + p.exitValue() + "); see " + log);
            }
            Map<String, Score> scores = new LinkedHashMap<>();
            for (JsonNode b : Json.MAPPER.readTree(resultFile.toFile())) {
                String name = b.get("benchmark").asText();
                JsonNode m = b.get("primaryMetric");
                scores.put(name.substring(name.lastIndexOf('.') + 1),
                        new Score(m.get("score").asDouble(), m.get("scoreError").asDouble(), m.get("scoreUnit").asText()));
            }
            return scores;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
