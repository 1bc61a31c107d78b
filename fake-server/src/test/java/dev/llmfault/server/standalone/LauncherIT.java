package dev.llmfault.server.standalone;

import dev.llmfault.server.Provider;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.Http;
import dev.llmfault.server.testing.Standalone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The distribution's launcher, {@code bin/llmfault-server}, as the README starts it: a bounded heap by
 * default, JAVA_OPTS after the defaults, and a class-data-sharing archive made on the first start for this
 * JVM and used from then on.
 */
class LauncherIT {

    private static List<Path> archives(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".jsa")).toList();
        }
    }

    private static void answersAChat(Standalone s) {
        URI chat = s.readyUrl().resolve(Calls.chatPath(Provider.OPENAI));
        Answer a = Http.send("POST", chat, Calls.headers(Provider.OPENAI), Calls.body(Provider.OPENAI, false).toString());
        assertThat(a.status()).isEqualTo(200);
    }

    @Test
    void startsWithABoundedHeapAndMakesItsClassDataArchiveOnceForThisJvm(@TempDir Path cds) throws IOException {
        Map<String, String> env = Map.of("LLMFAULT_CDS_DIR", cds.toString());
        try (Standalone first = Standalone.startViaLauncher(env, "--port", "0")) {
            answersAChat(first);
            assertThat(first.stderr()).contains("making a class-data archive for this JVM");
            assertThat(archives(cds)).hasSize(1);
            assertThat(first.commandLine()).contains("-Xmx256m", "-XX:+UseG1GC", "-jar")
                    .contains("-XX:SharedArchiveFile=" + archives(cds).get(0));
        }
        try (Standalone second = Standalone.startViaLauncher(env, "--port", "0")) {
            answersAChat(second);
            assertThat(second.stderr()).doesNotContain("making a class-data archive");
            assertThat(second.commandLine()).contains("-XX:SharedArchiveFile=" + archives(cds).get(0));
        }
        assertThat(archives(cds)).hasSize(1);
    }

    @Test
    void javaOptsComeAfterTheDefaultsSoTheyWinAndAnotherCollectorReplacesTheDefaultOne(@TempDir Path cds) {
        Map<String, String> env = Map.of("LLMFAULT_CDS", "off", "LLMFAULT_CDS_DIR", cds.toString(),
                "JAVA_OPTS", "-Xmx200m -XX:+UseParallelGC -Dllmfault.test=launcher");
        try (Standalone s = Standalone.startViaLauncher(env, "--port", "0")) {
            answersAChat(s);
            List<String> cmd = s.commandLine();
            assertThat(cmd).doesNotContain("-XX:+UseG1GC").noneMatch(arg -> arg.startsWith("-XX:SharedArchiveFile"));
            assertThat(cmd.indexOf("-Xmx200m")).as("the user's -Xmx comes last, so it wins").isGreaterThan(cmd.indexOf("-Xmx256m"));
            assertThat(cmd).contains("-XX:+UseParallelGC", "-Dllmfault.test=launcher");
        }
    }
}
