package dev.llmfault.server.internal.journal;

import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.RequestJournal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A lock-free ring of the newest {@code capacity} entries. A request takes its sequence number when it
 * arrives and is written when its answer ends, into slot {@code sequence % capacity}; a slot only ever
 * moves forward to a newer sequence, so a slow stream finishing late never overwrites a newer entry.
 * Readers copy the ring and sort by sequence: reads are rare (assertions), writes are the hot path.
 */
public final class BoundedJournal implements RequestJournal {
    private final int capacity;
    private final AtomicReferenceArray<JournalEntry> slots;
    private final AtomicLong lastSequence = new AtomicLong();
    /** Entries at or below this sequence were cleared (or arrived before a clear) and are dropped. */
    private volatile long floor;
    private final AtomicLong recordedSinceClear = new AtomicLong();
    private final Stats stats = new Stats();

    private final ReentrantLock waitLock = new ReentrantLock();
    private final Condition recorded = waitLock.newCondition();
    private volatile int waiters;

    public BoundedJournal(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("journalSize: invalid value " + capacity + ", expected an integer >= 0");
        }
        this.capacity = capacity;
        this.slots = new AtomicReferenceArray<>(Math.max(capacity, 1));
    }

    /** The sequence number of a request that just arrived. */
    public long nextSequence() {
        return lastSequence.incrementAndGet();
    }

    public int capacity() {
        return capacity;
    }

    /** Records a finished request; drops it when it belongs to before the last clear. */
    public void record(JournalEntry entry) {
        long seq = entry.sequence();
        if (seq <= floor) {
            return;
        }
        if (capacity > 0) {
            int slot = (int) (seq % capacity);
            while (true) {
                JournalEntry current = slots.get(slot);
                if (current != null && current.sequence() > seq) {
                    break; // a newer request already owns the slot: this one is older than the window
                }
                if (slots.compareAndSet(slot, current, entry)) {
                    break;
                }
            }
        }
        recordedSinceClear.incrementAndGet();
        stats.count(entry);
        if (waiters > 0) {
            waitLock.lock();
            try {
                recorded.signalAll();
            } finally {
                waitLock.unlock();
            }
        }
    }

    @Override
    public List<JournalEntry> entries() {
        long min = floor;
        List<JournalEntry> out = new ArrayList<>(Math.min(capacity, 1024));
        for (int i = 0; i < capacity; i++) {
            JournalEntry e = slots.get(i);
            if (e != null && e.sequence() > min) {
                out.add(e);
            }
        }
        out.sort(Comparator.comparingLong(JournalEntry::sequence));
        return out;
    }

    /** How many requests were recorded since the last clear, including those the ring dropped. */
    public long recordedCount() {
        return recordedSinceClear.get();
    }

    @Override
    public List<JournalEntry> awaitRequests(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        waitLock.lock();
        waiters++;
        try {
            while (recordedSinceClear.get() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw TimelineText.awaitFailed(count, timeout, entries());
                }
                recorded.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            AssertionError failure = TimelineText.awaitFailed(count, timeout, entries());
            failure.initCause(e);
            throw failure;
        } finally {
            waiters--;
            waitLock.unlock();
        }
        return entries();
    }

    @Override
    public void clear() {
        floor = lastSequence.get();
        for (int i = 0; i < slots.length(); i++) {
            slots.set(i, null);
        }
        recordedSinceClear.set(0);
        stats.clear();
    }

    /** Counts per provider, status and fault since the last clear. */
    public Stats stats() {
        return stats;
    }

}
