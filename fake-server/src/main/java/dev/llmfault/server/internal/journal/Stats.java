package dev.llmfault.server.internal.journal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.internal.json.Json;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts of answers per provider, status and fault since the last reset; counted even for entries the ring drops. */
public final class Stats {
    private final Map<String, LongAdder> byProvider = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> byStatus = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> byFault = new ConcurrentHashMap<>();
    private final LongAdder total = new LongAdder();

    void count(JournalEntry e) {
        total.increment();
        byProvider.computeIfAbsent(e.provider() == null ? "NONE" : e.provider().name(), k -> new LongAdder()).increment();
        byStatus.computeIfAbsent(Integer.toString(e.status()), k -> new LongAdder()).increment();
        byFault.computeIfAbsent(e.fault() == null ? "NONE" : e.fault().name(), k -> new LongAdder()).increment();
    }

    void clear() {
        byProvider.clear();
        byStatus.clear();
        byFault.clear();
        total.reset();
    }

    public ObjectNode toJson() {
        ObjectNode n = Json.object();
        n.put("total", total.sum());
        put(n.putObject("byProvider"), byProvider);
        put(n.putObject("byStatus"), byStatus);
        put(n.putObject("byFault"), byFault);
        return n;
    }

    private static void put(ObjectNode into, Map<String, LongAdder> counts) {
        new TreeMap<>(counts).forEach((k, v) -> into.put(k, v.sum()));
    }
}
