package dev.llmfault.server.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Sends {@code total} requests from {@code clients} threads at once (all released by one latch) and
 * returns what each request answered, by request number. Any exception fails the run.
 */
public final class Load {
    private Load() {
    }

    public static <T> List<T> run(int clients, int total, IntFunction<T> request) {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger next = new AtomicInteger();
        List<T> results = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            results.add(null);
        }
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    try {
                        for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                            T r = request.apply(i);
                            synchronized (results) {
                                results.set(i, r);
                            }
                        }
                    } finally {
                        KeepAliveClient.closeThreadConnections();
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : futures) {
                f.get(5, TimeUnit.MINUTES);
            }
        } catch (ExecutionException e) {
            throw new AssertionError("a client failed: " + e.getCause(), e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            pool.shutdownNow();
        }
        synchronized (results) {
            return List.copyOf(results);
        }
    }
}
