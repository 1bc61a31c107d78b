package dev.llmfault.server.internal.http;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The waits of one server's answers: a delay before the headers, between frames, before a cut or an error
 * frame, a stall. Each is a task on one timer thread instead of a request thread asleep, so thousands of
 * delayed answers hold no thread and the admin API and undelayed requests stay prompt. When a wait is over
 * the next write runs on the server's own thread pool (a client that stops reading may block a write; it
 * must never block the timer).
 *
 * <pre>{@code
 * Pacer pacer = new Pacer("llmfault-1", jettyThreads);
 * pacer.schedule(() -> writeNextFrame(), 50);   // runs on the pool 50 ms from now
 * pacer.close();                                // the server stops: every pending answer is ended
 * }</pre>
 */
final class Pacer implements AutoCloseable {
    private final ScheduledThreadPoolExecutor timer;
    private final Executor writers;
    private final Set<PacedAnswer> pending = ConcurrentHashMap.newKeySet();

    Pacer(String name, Executor writers) {
        this.timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread t = new Thread(task, name + "-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true); // a client that left frees its wait at once, not when it would have fired
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.writers = writers;
    }

    /** Runs {@code task} on the server's pool once {@code delayMs} have passed. */
    ScheduledFuture<?> schedule(Runnable task, long delayMs) {
        return timer.schedule(() -> dispatch(task), delayMs, TimeUnit.MILLISECONDS);
    }

    /** Runs {@code task} on the server's pool, or here when the pool is stopping (the task then ends its answer). */
    void dispatch(Runnable task) {
        try {
            writers.execute(task);
        } catch (RejectedExecutionException stopping) {
            task.run();
        }
    }

    void started(PacedAnswer answer) {
        pending.add(answer);
    }

    void ended(PacedAnswer answer) {
        pending.remove(answer);
    }

    /** Answers that are waiting now. */
    int pending() {
        return pending.size();
    }

    /** Ends every pending answer at once (their connections close) and stops the timer. */
    @Override
    public void close() {
        for (PacedAnswer answer : pending.toArray(new PacedAnswer[0])) {
            answer.abort();
        }
        timer.shutdownNow();
    }

    /** Ends every pending answer at once, the timer kept: for a graceful stop whose grace is over. */
    void abortAll() {
        for (PacedAnswer answer : pending.toArray(new PacedAnswer[0])) {
            answer.abort();
        }
    }
}
