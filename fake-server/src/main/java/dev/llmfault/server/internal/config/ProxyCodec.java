package dev.llmfault.server.internal.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.proxy.ProxyConfig;
import dev.llmfault.server.internal.proxy.ProxyOptions;
import dev.llmfault.server.internal.proxy.Upstream;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The config file's {@code proxy}, {@code record} and {@code replay} sections:
 *
 * <pre>{@code
 * proxy:
 *   upstreams:
 *     OPENAI: {url: https://api.openai.com, keyEnv: OPENAI_API_KEY}
 *   connectTimeoutMs: 5000
 *   readTimeoutMs: 120000
 *   trustStore: certs/upstream.p12
 *   trustStorePasswordEnv: UPSTREAM_STORE_PASSWORD
 * record: {dir: src/test/resources/llm, scrubPatterns: ["acct_[0-9]+"]}
 * replay: {dir: src/test/resources/llm, speed: 0, strict: true, volatileFields: [user]}
 * }</pre>
 * A password is never written in the file: it is read from the environment variable named.
 */
final class ProxyCodec {
    static final List<String> SECTIONS = List.of("proxy", "record", "replay");
    private static final List<String> PROXY_FIELDS = List.of("upstreams", "connectTimeoutMs", "readTimeoutMs", "trustStore",
            "trustStorePasswordEnv");
    private static final List<String> UPSTREAM_FIELDS = List.of("url", "keyEnv");
    private static final List<String> RECORD_FIELDS = List.of("dir", "scrubPatterns");
    private static final List<String> REPLAY_FIELDS = List.of("dir", "speed", "strict", "volatileFields");

    private ProxyCodec() {
    }

    /** Reads the three sections (each optional) onto the config; {@code base} resolves relative paths. */
    static ProxyConfig read(JsonNode root, ProxyConfig config, Path base) {
        ProxyConfig next = config;
        JsonNode proxy = section(root, "proxy", PROXY_FIELDS);
        if (proxy != null) {
            next = proxyInto(proxy, next, base);
        }
        JsonNode replay = section(root, "replay", REPLAY_FIELDS);
        if (replay != null) {
            try {
                Path dir = path(replay, "dir", base);
                if (dir == null) throw new InputException("dir", "dir: is required, a directory of fixture files");
                double[] speed = {1.0};
                boolean[] strict = {true};
                ScenarioCodec.number(replay, "speed", v -> speed[0] = v);
                ScenarioCodec.bool(replay, "strict", v -> strict[0] = v);
                next = next.withReplay(dir, speed[0], strict[0], new LinkedHashSet<>(strings(replay, "volatileFields")));
            } catch (IllegalArgumentException e) {
                throw within("replay", e);
            }
        }
        JsonNode record = section(root, "record", RECORD_FIELDS);
        if (record != null) {
            try {
                Path dir = path(record, "dir", base);
                if (dir == null) throw new InputException("dir", "dir: is required, the directory fixtures are written to");
                next = next.withRecordDir(dir, strings(record, "scrubPatterns"));
            } catch (IllegalArgumentException e) {
                throw within("record", e);
            }
        }
        return next;
    }

    private static ProxyConfig proxyInto(JsonNode proxy, ProxyConfig config, Path base) {
        ProxyConfig next = config;
        try {
            JsonNode ups = proxy.get("upstreams");
            if (ups != null && !ups.isNull()) {
                if (!ups.isObject()) throw ScenarioCodec.wrongType("upstreams", ups, "a mapping of provider to {url, keyEnv}");
                Iterator<Map.Entry<String, JsonNode>> it = ups.fields();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> e = it.next();
                    String at = "upstreams." + e.getKey();
                    Provider p = ScenarioCodec.parseEnum(at, com.fasterxml.jackson.databind.node.TextNode.valueOf(e.getKey()), Provider::parse);
                    JsonNode u = e.getValue();
                    if (!u.isObject()) throw ScenarioCodec.wrongType(at, u, "a mapping with " + UPSTREAM_FIELDS);
                    try {
                        ScenarioCodec.checkFields(u, UPSTREAM_FIELDS, null);
                        String[] url = {null};
                        String[] keyEnv = {null};
                        ScenarioCodec.text(u, "url", v -> url[0] = v);
                        ScenarioCodec.text(u, "keyEnv", v -> keyEnv[0] = v);
                        if (url[0] == null) throw new InputException("url", "url: is required, e.g. https://api.openai.com");
                        try {
                            next = next.withUpstream(new Upstream(p, java.net.URI.create(url[0]), keyEnv[0]));
                        } catch (IllegalArgumentException bad) {
                            throw new InputException("url", "url: " + bad.getMessage());
                        }
                    } catch (InputException bad) {
                        throw bad.within(at);
                    }
                }
            }
            ProxyOptions o = next.options();
            long[] connect = {o.connectTimeoutMs()};
            long[] read = {o.readTimeoutMs()};
            ScenarioCodec.integer(proxy, "connectTimeoutMs", v -> connect[0] = v);
            ScenarioCodec.integer(proxy, "readTimeoutMs", v -> read[0] = v);
            Path store = path(proxy, "trustStore", base);
            String[] passwordEnv = {null};
            ScenarioCodec.text(proxy, "trustStorePasswordEnv", v -> passwordEnv[0] = v);
            char[] password = passwordEnv[0] == null || System.getenv(passwordEnv[0]) == null ? null
                    : System.getenv(passwordEnv[0]).toCharArray();
            return next.withOptions(new ProxyOptions(connect[0], read[0], store != null ? store : o.trustStore(),
                    store != null ? password : o.trustStorePassword()));
        } catch (IllegalArgumentException e) {
            throw within("proxy", e);
        }
    }

    private static JsonNode section(JsonNode root, String name, List<String> fields) {
        JsonNode n = root.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) throw ScenarioCodec.wrongType(name, n, "a mapping with " + fields);
        ScenarioCodec.checkFields(n, fields, name);
        return n;
    }

    private static Path path(JsonNode node, String field, Path base) {
        String[] text = {null};
        ScenarioCodec.text(node, field, v -> text[0] = v);
        if (text[0] == null) {
            return null;
        }
        Path p = Path.of(text[0]);
        return p.isAbsolute() || base == null ? p : base.resolve(p);
    }

    private static List<String> strings(JsonNode node, String field) {
        JsonNode v = node.get(field);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) return out;
        if (!v.isArray()) throw ScenarioCodec.wrongType(field, v, "a list of strings");
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) throw ScenarioCodec.wrongType(field + "[" + i + "]", v.get(i), "a string");
            out.add(v.get(i).asText());
        }
        return out;
    }

    private static InputException within(String section, IllegalArgumentException e) {
        if (e instanceof InputException input) {
            return input.within(section);
        }
        String message = e.getMessage() == null ? "invalid" : e.getMessage();
        String stripped = message.startsWith(section + ".") ? message.substring(section.length() + 1) : message;
        return new InputException(null, stripped).within(section);
    }

    static Set<String> names() {
        return Set.copyOf(SECTIONS);
    }
}
