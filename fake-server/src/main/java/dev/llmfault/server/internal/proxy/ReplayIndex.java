package dev.llmfault.server.internal.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The fixtures of a replay directory, matched to requests on provider, method, path and the request body
 * normalized: key order and white space do not count, nor do the fields the user names as volatile (at any
 * depth, such as {@code user} or a timestamp). The model is in the body or the path, so it counts too.
 *
 * <p>The same request recorded several times (a retry, or the same question asked twice) is answered by its
 * recordings in order, the last one again once they are used up; {@link #rewind()} starts over (on reset).
 *
 * <pre>{@code
 * ReplayIndex index = ReplayIndex.load(Path.of("src/test/resources/llm"), Set.of("user"));
 * index.match(Provider.OPENAI, "POST", "/v1/chat/completions", body).ifPresent(f -> ...);
 * }</pre>
 */
public final class ReplayIndex {
    private final Set<String> volatileFields;
    private final Map<Key, List<Named>> byKey = new LinkedHashMap<>();
    private final List<Named> all = new ArrayList<>();
    private final Map<Key, AtomicInteger> served = new ConcurrentHashMap<>();

    /** A fixture and the file it came from. */
    public record Named(String file, Fixture fixture) {
    }

    /** Why a request matched no fixture: the closest one and the first thing that differed. */
    public record Miss(String closestFile, String difference) {
        public String describe() {
            return closestFile == null ? "no fixture was recorded for this provider"
                    : "closest fixture " + closestFile + " differs: " + difference;
        }
    }

    private record Key(Provider provider, String method, String path, String body) {
    }

    private ReplayIndex(Set<String> volatileFields) {
        this.volatileFields = Set.copyOf(volatileFields);
    }

    /**
     * Loads every {@code *.json} file of the directory, in name order.
     *
     * @throws IllegalArgumentException naming the directory when it is missing, or the file and field that is wrong
     */
    public static ReplayIndex load(Path dir, Set<String> volatileFields) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("replay: '" + dir + "' is not a directory");
        }
        ReplayIndex index = new ReplayIndex(volatileFields);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                String name = file.getFileName().toString();
                index.add(new Named(name, FixtureCodec.read(name, Files.readAllBytes(file))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("replay: cannot read '" + dir + "'", e);
        }
        return index;
    }

    /** An index over fixtures already in memory (tests, and a recorder that replays what it just wrote). */
    public static ReplayIndex of(List<Named> fixtures, Set<String> volatileFields) {
        ReplayIndex index = new ReplayIndex(volatileFields);
        fixtures.forEach(index::add);
        return index;
    }

    private void add(Named named) {
        Fixture f = named.fixture();
        all.add(named);
        byKey.computeIfAbsent(key(f.provider(), f.method(), f.path(), f.requestBody()), k -> new ArrayList<>()).add(named);
    }

    public int size() {
        return all.size();
    }

    /** The recording that answers this request, if one does. */
    public Optional<Named> match(Provider provider, String method, String path, JsonNode body) {
        Key key = key(provider, method, path, body);
        List<Named> recorded = byKey.get(key);
        if (recorded == null) {
            return Optional.empty();
        }
        int n = served.computeIfAbsent(key, k -> new AtomicInteger()).getAndIncrement();
        return Optional.of(recorded.get(Math.min(n, recorded.size() - 1)));
    }

    /** Starts every repeated recording over from its first answer. */
    public void rewind() {
        served.clear();
    }

    /** The closest fixture of the same provider to an unmatched request, and what differed first. */
    public Miss explain(Provider provider, String method, String path, JsonNode body) {
        JsonNode sent = normalize(body);
        Named best = null;
        String bestDiff = null;
        int bestScore = Integer.MAX_VALUE;
        for (Named candidate : all) {
            Fixture f = candidate.fixture();
            if (f.provider() != provider) {
                continue;
            }
            List<String> diffs = new ArrayList<>();
            if (!f.method().equals(method)) diffs.add("method: recorded " + f.method() + ", sent " + method);
            if (!f.path().equals(path)) diffs.add("path: recorded " + f.path() + ", sent " + path);
            diff("body", normalize(f.requestBody()), sent, diffs);
            int score = (f.path().equals(path) ? 0 : 1000) + (f.method().equals(method) ? 0 : 1000) + diffs.size();
            if (score < bestScore) {
                bestScore = score;
                best = candidate;
                bestDiff = diffs.isEmpty() ? "nothing (volatile fields only)" : diffs.get(0)
                        + (diffs.size() > 1 ? " (and " + (diffs.size() - 1) + " more difference" + (diffs.size() > 2 ? "s" : "") + ")" : "");
            }
        }
        return best == null ? new Miss(null, null) : new Miss(best.file(), bestDiff);
    }

    private Key key(Provider provider, String method, String path, JsonNode body) {
        return new Key(provider, method, path, normalize(body).toString());
    }

    /** The body with object keys sorted and volatile fields removed, at any depth. */
    JsonNode normalize(JsonNode node) {
        if (node == null) {
            return JsonNodeFactory.instance.nullNode();
        }
        if (node.isObject()) {
            ObjectNode out = Json.object();
            Map<String, JsonNode> sorted = new TreeMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!volatileFields.contains(e.getKey())) {
                    sorted.put(e.getKey(), normalize(e.getValue()));
                }
            }
            sorted.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = Json.MAPPER.createArrayNode();
            node.forEach(e -> out.add(normalize(e)));
            return out;
        }
        return node;
    }

    /** Adds a line for each place the two normalized trees differ, as a JSON pointer with both values. */
    private static void diff(String where, JsonNode recorded, JsonNode sent, List<String> out) {
        if (Objects.equals(recorded, sent)) {
            return;
        }
        if (recorded.isObject() && sent.isObject()) {
            Set<String> names = new java.util.TreeSet<>();
            recorded.fieldNames().forEachRemaining(names::add);
            sent.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode r = recorded.get(name);
                JsonNode s = sent.get(name);
                String at = where + "/" + name;
                if (r == null) out.add(at + ": not recorded, sent " + brief(s));
                else if (s == null) out.add(at + ": recorded " + brief(r) + ", not sent");
                else diff(at, r, s, out);
            }
            return;
        }
        if (recorded.isArray() && sent.isArray()) {
            int n = Math.max(recorded.size(), sent.size());
            for (int i = 0; i < n; i++) {
                String at = where + "/" + i;
                if (i >= recorded.size()) out.add(at + ": not recorded, sent " + brief(sent.get(i)));
                else if (i >= sent.size()) out.add(at + ": recorded " + brief(recorded.get(i)) + ", not sent");
                else diff(at, recorded.get(i), sent.get(i), out);
            }
            return;
        }
        out.add(where + ": recorded " + brief(recorded) + ", sent " + brief(sent));
    }

    private static String brief(JsonNode n) {
        String s = n.toString();
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
