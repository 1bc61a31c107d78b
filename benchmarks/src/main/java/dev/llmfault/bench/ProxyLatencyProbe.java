package dev.llmfault.bench;

import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Provider;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * What the chaos proxy adds to a request on loopback: the same chat completion sent to an upstream fake server
 * directly and through a proxying one, interleaved one by one on kept-alive connections, sequentially (one at a
 * time, so the figure is latency, not queueing). Prints the medians and p99s of both and their differences.
 *
 * <pre>
 * mvn -B -q -Pbench -DskipTests package -pl fake-server,benchmarks -am
 * java -cp benchmarks/target/classes:$(cat benchmarks/target/runtime.classpath) dev.llmfault.bench.ProxyLatencyProbe [requests]
 * </pre>
 */
public final class ProxyLatencyProbe {
    private ProxyLatencyProbe() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        int warmup = Math.max(500, n / 2);
        try (FakeLlmServer upstream = FakeLlmServer.builder().start();
             FakeLlmServer proxy = FakeLlmServer.builder().proxy(Provider.OPENAI, upstream.url()).start()) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpRequest direct = request(upstream.baseUrl(Provider.OPENAI));
            HttpRequest proxied = request(proxy.baseUrl(Provider.OPENAI));
            for (int i = 0; i < warmup; i++) {
                send(client, direct);
                send(client, proxied);
            }
            long[] d = new long[n];
            long[] p = new long[n];
            for (int i = 0; i < n; i++) {
                d[i] = send(client, direct);
                p[i] = send(client, proxied);
            }
            Arrays.sort(d);
            Arrays.sort(p);
            double d50 = d[n / 2], d99 = d[(int) (n * 0.99)], p50 = p[n / 2], p99 = p[(int) (n * 0.99)]; // microseconds
            System.out.printf(Locale.ROOT, "proxy-latency: requests=%d direct_p50_us=%.0f direct_p99_us=%.0f proxied_p50_us=%.0f "
                    + "proxied_p99_us=%.0f added_p50_us=%.0f added_p99_us=%.0f%n", n, d50, d99, p50, p99, p50 - d50, p99 - d99);
        }
    }

    private static HttpRequest request(URI base) {
        return HttpRequest.newBuilder(URI.create(base + "/chat/completions"))
                .header("authorization", "Bearer sk-bench-0123456789abcdef").header("content-type", "application/json")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build();
    }

    private static long send(HttpClient client, HttpRequest request) throws Exception {
        long start = System.nanoTime();
        HttpResponse<byte[]> res = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        long took = (System.nanoTime() - start) / 1000;
        if (res.statusCode() != 200) {
            throw new IllegalStateException("status " + res.statusCode() + ": " + new String(res.body()));
        }
        return took;
    }
}
