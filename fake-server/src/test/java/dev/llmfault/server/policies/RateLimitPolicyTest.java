package dev.llmfault.server.policies;

import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalQuery;
import dev.llmfault.server.Provider;
import dev.llmfault.server.RateLimitPolicy;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.SharedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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
    @RegisterExtension
    static final SharedServer server = new SharedServer();

    @Test
    void fivePerWindowAdmitsExactlyFiveUnder32ConcurrentClientsAndTheRestGetTheRealRetryAfter() throws Exception {
        long windowMs = 10_000;
        server.get().policies().rateLimits(RateLimitPolicy.builder().requestsPerWindow(5)
                .window(Duration.ofMillis(windowMs)).build());
        ExecutorService pool = Executors.newFixedThreadPool(32);
        CountDownLatch go = new CountDownLatch(1);
        long before = System.nanoTime();
        List<Future<Answer>> calls = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            calls.add(pool.submit(() -> {
                go.await();
                return Calls.chat(server.get(), Provider.OPENAI, KEY);
            }));
        }
        go.countDown();
        List<Answer> answers = new ArrayList<>();
        for (Future<Answer> f : calls) {
            answers.add(f.get());
        }
        long elapsedMs = (System.nanoTime() - before) / 1_000_000;
        pool.shutdown();

        assertThat(answers).filteredOn(r -> r.status() == 200).hasSize(5);
        List<Answer> limited = answers.stream().filter(r -> r.status() == 429).toList();
        assertThat(limited).hasSize(27);
        for (Answer r : limited) {
            long retryMs = Long.parseLong(r.headers().firstValue("retry-after-ms").orElseThrow());
            // The window opened after `before` and the answer came before `elapsedMs` passed:
            // the time left is at most the window and at least the window minus that elapsed time.
            assertThat(retryMs).isBetween(windowMs - elapsedMs - 1, windowMs);
            assertThat(r.headers().firstValue("retry-after").orElseThrow()).isEqualTo(Long.toString((retryMs + 999) / 1000));
            assertThat(r.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("0");
            assertThat(r.headers().firstValue("x-ratelimit-limit-requests")).hasValue("5");
            assertThat(r.json().at("/error/message").asText()).contains("Limit 5, Used 5, Requested 1");
        }
        assertThat(server.get().journal().find(JournalQuery.all().fault(Fault.RATE_LIMITED)))
                .allSatisfy(e -> assertThat(e.faultReason()).startsWith("policy rateLimits: window 5/5 requests used"));
    }

    @Test
    void capacityReturnsWhenTheRetryAfterHasPassed() {
        server.get().policies().rateLimits(RateLimitPolicy.builder().requestsPerWindow(1)
                .window(Duration.ofMillis(300)).build());
        assertThat(Calls.chat(server.get(), Provider.OPENAI, KEY).status()).isEqualTo(200);
        Answer limited = Calls.chat(server.get(), Provider.OPENAI, KEY);
        assertThat(limited.status()).isEqualTo(429);
        long retryMs = Long.parseLong(limited.headers().firstValue("retry-after-ms").orElseThrow());

        // Honour the hint exactly once: the first call after it must pass.
        Answer after = await().pollDelay(Duration.ofMillis(retryMs)).atMost(Duration.ofSeconds(5))
                .until(() -> Calls.chat(server.get(), Provider.OPENAI, KEY), r -> true);
        assertThat(after.status()).isEqualTo(200);
    }

    @Test
    void successesCarryTheTrueRemainingCount() {
        server.get().policies().rateLimits(RateLimitPolicy.builder().requestsPerWindow(3).tokensPerWindow(1000).build());

        Answer first = Calls.chat(server.get(), Provider.OPENAI, KEY);
        Answer second = Calls.chat(server.get(), Provider.OPENAI, KEY);

        assertThat(first.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("2");
        assertThat(second.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("1");
        assertThat(second.headers().firstValue("x-ratelimit-limit-tokens")).hasValue("1000");
        long tokensLeft = Long.parseLong(second.headers().firstValue("x-ratelimit-remaining-tokens").orElseThrow());
        assertThat(tokensLeft).isLessThan(1000);
    }

    @Test
    void tokensPerWindowAnswerTheTokenVariant() {
        server.get().policies().rateLimits(RateLimitPolicy.builder().tokensPerWindow(100).build());
        String big = "{\"model\":\"gpt-4o\",\"max_tokens\":90,\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}";

        assertThat(Calls.chat(server.get(), Provider.OPENAI, Calls.headers(Provider.OPENAI, KEY), big).status()).isEqualTo(200);
        Answer limited = Calls.chat(server.get(), Provider.OPENAI, Calls.headers(Provider.OPENAI, KEY), big);

        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.json().at("/error/type").asText()).isEqualTo("tokens");
        assertThat(limited.json().at("/error/message").asText()).contains("tokens per min (TPM): Limit 100");
    }

    @Test
    void exhaustedQuotaIsQuotaExceededInEachProvidersWords() {
        server.get().policies().rateLimits(RateLimitPolicy.builder().quota(1, Duration.ofDays(1)).build());

        assertThat(Calls.chat(server.get(), Provider.OPENAI, KEY).status()).isEqualTo(200);
        Answer openAi = Calls.chat(server.get(), Provider.OPENAI, KEY);
        assertThat(openAi.status()).isEqualTo(429);
        assertThat(openAi.json().at("/error/code").asText()).isEqualTo("insufficient_quota");
        assertThat(openAi.headers().firstValue("retry-after")).isEmpty();

        String anthropicKey = "sk-ant-0123456789abcdef0000";
        assertThat(Calls.chat(server.get(), Provider.ANTHROPIC, anthropicKey).status()).isEqualTo(200);
        Answer anthropic = Calls.chat(server.get(), Provider.ANTHROPIC, anthropicKey);
        assertThat(anthropic.status()).isEqualTo(402);
        assertThat(anthropic.json().at("/error/type").asText()).isEqualTo("billing_error");
    }

    @Test
    void eachKeyHasItsOwnWindow() {
        server.get().policies().rateLimits(RateLimitPolicy.builder().requestsPerWindow(1).build());

        assertThat(Calls.chat(server.get(), Provider.OPENAI, KEY).status()).isEqualTo(200);
        assertThat(Calls.chat(server.get(), Provider.OPENAI, KEY).status()).isEqualTo(429);
        assertThat(Calls.chat(server.get(), Provider.OPENAI, "sk-other-0123456789abcdef00").status()).isEqualTo(200);
    }

    @Test
    void resetStartsTheWindowsAfresh() {
        // a server of its own: the policy is given at build time, which is what a reset returns to
        try (FakeLlmServer configured = FakeLlmServer.builder()
                .rateLimits(RateLimitPolicy.builder().requestsPerWindow(1).build()).start()) {
            assertThat(Calls.chat(configured, Provider.OPENAI, KEY).status()).isEqualTo(200);
            assertThat(Calls.chat(configured, Provider.OPENAI, KEY).status()).isEqualTo(429);

            configured.reset();

            assertThat(configured.policies().rateLimits()).isPresent();
            assertThat(Calls.chat(configured, Provider.OPENAI, KEY).status()).isEqualTo(200);
        }
    }
}
