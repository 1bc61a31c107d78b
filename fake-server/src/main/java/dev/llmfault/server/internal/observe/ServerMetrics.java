package dev.llmfault.server.internal.observe;

import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.Provider;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * The server's own metrics, in a Micrometer Prometheus registry scraped at {@code GET /__admin/metrics}:
 * <ul>
 *   <li>{@code llmfault_requests_total{provider,status,fault}}: every answered request;</li>
 *   <li>{@code llmfault_faults_injected_total{provider,status,fault}}: the faults a scenario injected;</li>
 *   <li>{@code llmfault_policy_refusals_total{provider,status,fault}}: the refusals of an emulated policy;</li>
 *   <li>{@code llmfault_request_duration_seconds{provider}}: a latency histogram.</li>
 * </ul>
 * Fed by the journal as each entry is recorded. The hot path allocates nothing: every counter is found by index
 * (provider x fault x status) in arrays filled on first use, so no tag list or map is built per request.
 *
 * <pre>{@code
 * ServerMetrics metrics = new ServerMetrics();
 * journal.listen(metrics);
 * String text = metrics.scrape(); // Prometheus text format
 * }</pre>
 */
public final class ServerMetrics implements Consumer<JournalEntry> {
    private static final int PROVIDERS = Provider.values().length + 1; // + none (an unknown path)
    private static final int FAULTS = Fault.values().length + 1;       // + none (a success)
    private static final int STATUSES = 600;                           // 0 (no answer) .. 599

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicReferenceArray<Counter> requests = new AtomicReferenceArray<>(PROVIDERS * FAULTS * STATUSES);
    private final AtomicReferenceArray<Counter> injected = new AtomicReferenceArray<>(PROVIDERS * FAULTS * STATUSES);
    private final AtomicReferenceArray<Counter> refused = new AtomicReferenceArray<>(PROVIDERS * FAULTS * STATUSES);
    private final Timer[] latency = new Timer[PROVIDERS];

    public ServerMetrics() {
        for (int p = 0; p < PROVIDERS; p++) {
            latency[p] = Timer.builder("llmfault.request.duration").description("time from arrival to the end of the answer")
                    .tag("provider", providerTag(p)).publishPercentileHistogram().register(registry);
        }
    }

    @Override
    public void accept(JournalEntry e) {
        int p = e.provider() == null ? PROVIDERS - 1 : e.provider().ordinal();
        int f = e.fault() == null ? FAULTS - 1 : e.fault().ordinal();
        int s = e.status() >= 0 && e.status() < STATUSES ? e.status() : 0;
        int index = (p * FAULTS + f) * STATUSES + s;
        counter(requests, index, "llmfault.requests", "requests answered", p, f, s).increment();
        if (e.scenarioId() != null) {
            counter(injected, index, "llmfault.faults.injected", "faults injected by a scenario", p, f, s).increment();
        } else if (e.fault() != null && e.faultReason() != null && e.faultReason().startsWith("policy")) {
            counter(refused, index, "llmfault.policy.refusals", "requests an emulated policy refused", p, f, s).increment();
        }
        latency[p].record(e.duration().toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The Prometheus text format (version 0.0.4). */
    public String scrape() {
        return registry.scrape();
    }

    /** The same in OpenMetrics, or Prometheus text, as the Accept header asks. */
    public String scrape(String accept) {
        return registry.scrape(accept == null ? "text/plain" : accept);
    }

    /** The content type {@link #scrape(String)} answers for this Accept header. */
    public static String contentType(String accept) {
        return accept != null && accept.contains("application/openmetrics-text")
                ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
                : "text/plain; version=0.0.4; charset=utf-8";
    }

    private Counter counter(AtomicReferenceArray<Counter> cache, int index, String name, String description,
                            int p, int f, int s) {
        Counter c = cache.get(index);
        if (c == null) { // first time for this provider, fault and status: register once
            c = Counter.builder(name).description(description).tag("provider", providerTag(p))
                    .tag("status", Integer.toString(s)).tag("fault", f == FAULTS - 1 ? "none" : Fault.values()[f].name())
                    .register(registry);
            cache.compareAndSet(index, null, c);
        }
        return c;
    }

    private static String providerTag(int p) {
        return p == PROVIDERS - 1 ? "none" : Provider.values()[p].name().toLowerCase(java.util.Locale.ROOT);
    }
}
