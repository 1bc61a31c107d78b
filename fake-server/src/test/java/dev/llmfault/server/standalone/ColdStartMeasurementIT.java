package dev.llmfault.server.standalone;

import dev.llmfault.server.Provider;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.Http;
import dev.llmfault.server.testing.Scale;
import dev.llmfault.server.testing.Standalone;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Measures (prints, does not assert) the cold start of the standalone jar: from launching a fresh JVM to
 * the first 200 on a chat completion. Median of a few runs; absolute times drift on shared machines.
 */
class ColdStartMeasurementIT {

    @Test
    void coldStartToTheFirstChatCompletion() throws IOException {
        int runs = Scale.of(3, 9);
        List<Long> toFirst200 = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            Path portFile = Standalone.workDir().resolve("port");
            long t0 = System.nanoTime();
            try (Standalone s = Standalone.launch("--port", "0", "--port-file", portFile.toString())) {
                await().pollInSameThread().pollInterval(Duration.ofMillis(2)).atMost(Duration.ofSeconds(30))
                        .until(() -> Files.exists(portFile));
                URI root = URI.create("http://127.0.0.1:" + Files.readString(portFile).strip());
                Answer first = Http.send("POST", root.resolve(Calls.chatPath(Provider.OPENAI)), Calls.headers(Provider.OPENAI),
                        Calls.body(Provider.OPENAI, false).toString());
                long elapsed = System.nanoTime() - t0;
                assertThat(first.status()).as("the first request after the port file is a success").isEqualTo(200);
                toFirst200.add(elapsed / 1_000_000);
            }
        }
        List<Long> sorted = toFirst200.stream().sorted().toList();
        System.out.printf("measure: standalone cold start to first 200 on a chat completion: median %d ms (runs %s)%n",
                sorted.get(sorted.size() / 2), toFirst200);
    }
}
