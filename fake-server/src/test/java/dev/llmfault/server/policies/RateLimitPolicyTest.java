package dev.llmfault.server.policies;

import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalQuery;
import dev.llmfault.server.RateLimitPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RateLimitPolicyTest {
    private static final String KEY = "sk-rate-0123456789abcdef0000";
    private FakeLlmServer server;

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void fivePerWindowAdmitsExactlyFiveUnder32ConcurrentClientsAndTheRestGetTheRealRetryAfter() throws Exception {
        long windowMs = 10_000;
        server = FakeLlmServer.builder()
                .rateLimits(RateLimitPolicy.builder().requestsPerWindow(5).window(Duration.ofMillis(windowMs)).build())
                .start();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        CountDownLatch go = new CountDownLatch(1);
        long before = System.nanoTime();
        List<Future<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            calls.add(pool.submit(() -> {
                go.await();
                return Calls.openAi(server, KEY);
            }));
        }
        go.countDown();
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (Future<HttpResponse<String>> f : calls) {
            answers.add(f.get());
        }
        long elapsedMs = (System.nanoTime() - before) / 1_000_000;
        pool.shutdown();

        assertThat(answers).filteredOn(r -> r.statusCode() == 200).hasSize(5);
        List<HttpResponse<String>> limited = answers.stream().filter(r -> r.statusCode() == 429).toList();
        assertThat(limited).hasSize(27);
        for (HttpResponse<String> r : limited) {
            long retryMs = Long.parseLong(r.headers().firstValue("retry-after-ms").orElseThrow());
            // The window opened after `before` and the answer came before `elapsedMs` passed:
            // the time left is at most the window and at least the window minus that elapsed time.
            assertThat(retryMs).isBetween(windowMs - elapsedMs - 1, windowMs);
            assertThat(r.headers().firstValue("retry-after").orElseThrow()).isEqualTo(Long.toString((retryMs + 999) / 1000));
            assertThat(r.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("0");
            assertThat(r.headers().firstValue("x-ratelimit-limit-requests")).hasValue("5");
            assertThat(Calls.json(r).at("/error/message").asText()).contains("Limit 5, Used 5, Requested 1");
        }
        assertThat(server.journal().find(JournalQuery.all().fault(Fault.RATE_LIMITED)))
                .allSatisfy(e -> assertThat(e.faultReason()).startsWith("policy rateLimits: window 5/5 requests used"));
    }

    @Test
    void capacityReturnsWhenTheRetryAfterHasPassed() {
        server = FakeLlmServer.builder()
                .rateLimits(RateLimitPolicy.builder().requestsPerWindow(1).window(Duration.ofMillis(300)).build())
                .start();
        assertThat(Calls.openAi(server, KEY).statusCode()).isEqualTo(200);
        HttpResponse<String> limited = Calls.openAi(server, KEY);
        assertThat(limited.statusCode()).isEqualTo(429);
        long retryMs = Long.parseLong(limited.headers().firstValue("retry-after-ms").orElseThrow());

        // Honour the hint exactly once: the first call after it must pass.
        HttpResponse<String> after = await().pollDelay(Duration.ofMillis(retryMs)).atMost(Duration.ofSeconds(5))
                .until(() -> Calls.openAi(server, KEY), r -> true);
        assertThat(after.statusCode()).isEqualTo(200);
    }

    @Test
    void successesCarryTheTrueRemainingCount() {
        server = FakeLlmServer.builder()
                .rateLimits(RateLimitPolicy.builder().requestsPerWindow(3).tokensPerWindow(1000).build())
                .start();

        HttpResponse<String> first = Calls.openAi(server, KEY);
        HttpResponse<String> second = Calls.openAi(server, KEY);

        assertThat(first.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("2");
        assertThat(second.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("1");
        assertThat(second.headers().firstValue("x-ratelimit-limit-tokens")).hasValue("1000");
        long tokensLeft = Long.parseLong(second.headers().firstValue("x-ratelimit-remaining-tokens").orElseThrow());
        assertThat(tokensLeft).isLessThan(1000);
    }

    @Test
    void tokensPerWindowAnswerTheTokenVariant() {
        server = FakeLlmServer.builder().rateLimits(RateLimitPolicy.builder().tokensPerWindow(100).build()).start();
        String big = "{\"model\":\"gpt-4o\",\"max_tokens\":90,\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}";

        assertThat(Calls.openAiBody(server, KEY, big).statusCode()).isEqualTo(200);
        HttpResponse<String> limited = Calls.openAiBody(server, KEY, big);

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(Calls.json(limited).at("/error/type").asText()).isEqualTo("tokens");
        assertThat(Calls.json(limited).at("/error/message").asText()).contains("tokens per min (TPM): Limit 100");
    }

    @Test
    void exhaustedQuotaIsQuotaExceededInEachProvidersWords() {
        server = FakeLlmServer.builder().rateLimits(RateLimitPolicy.builder().quota(1, Duration.ofDays(1)).build()).start();

        assertThat(Calls.openAi(server, KEY).statusCode()).isEqualTo(200);
        HttpResponse<String> openAi = Calls.openAi(server, KEY);
        assertThat(openAi.statusCode()).isEqualTo(429);
        assertThat(Calls.json(openAi).at("/error/code").asText()).isEqualTo("insufficient_quota");
        assertThat(openAi.headers().firstValue("retry-after")).isEmpty();

        String anthropicKey = "sk-ant-0123456789abcdef0000";
        assertThat(Calls.anthropic(server, anthropicKey, "2023-06-01", Calls.ANTHROPIC_BODY).statusCode()).isEqualTo(200);
        HttpResponse<String> anthropic = Calls.anthropic(server, anthropicKey, "2023-06-01", Calls.ANTHROPIC_BODY);
        assertThat(anthropic.statusCode()).isEqualTo(402);
        assertThat(Calls.json(anthropic).at("/error/type").asText()).isEqualTo("billing_error");
    }

    @Test
    void eachKeyHasItsOwnWindow() {
        server = FakeLlmServer.builder().rateLimits(RateLimitPolicy.builder().requestsPerWindow(1).build()).start();

        assertThat(Calls.openAi(server, KEY).statusCode()).isEqualTo(200);
        assertThat(Calls.openAi(server, KEY).statusCode()).isEqualTo(429);
        assertThat(Calls.openAi(server, "sk-other-0123456789abcdef00").statusCode()).isEqualTo(200);
    }

    @Test
    void resetStartsTheWindowsAfresh() {
        server = FakeLlmServer.builder().rateLimits(RateLimitPolicy.builder().requestsPerWindow(1).build()).start();
        assertThat(Calls.openAi(server, KEY).statusCode()).isEqualTo(200);
        assertThat(Calls.openAi(server, KEY).statusCode()).isEqualTo(429);

        server.reset();

        assertThat(server.policies().rateLimits()).isPresent();
        assertThat(Calls.openAi(server, KEY).statusCode()).isEqualTo(200);
    }
}
