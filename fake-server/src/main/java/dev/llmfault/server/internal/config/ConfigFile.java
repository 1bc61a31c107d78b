package dev.llmfault.server.internal.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.llmfault.server.CredentialPolicy;
import dev.llmfault.server.NetworkPolicy;
import dev.llmfault.server.Provider;
import dev.llmfault.server.RateLimitPolicy;
import dev.llmfault.server.ReplyRule;
import dev.llmfault.server.VersionPolicy;
import dev.llmfault.server.Scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads a config file (YAML or JSON; JSON is YAML) onto a {@link SettingsDraft}. All or nothing: on any
 * error the draft is left as it was and a {@link ConfigException} names the file, the line and the field.
 *
 * <pre>
 * port: 8089
 * seed: 42
 * reply: { text: "Hi there", firstChunkDelayMs: 50, chunkDelayMs: 10 }
 * scenarios:
 *   - fault: RATE_LIMITED
 *     provider: OPENAI
 *     times: 2
 *     retryAfterMs: 200
 * replies:
 *   - match: { lastUserMessage: weather }
 *     sequence:
 *       - toolCalls: [ { name: get_weather, arguments: { city: Paris } } ]
 *       - text: "It is 18°C in Paris."
 * </pre>
 */
public final class ConfigFile {
    static final List<String> FIELDS = List.of("host", "port", "seed", "journalSize", "maxBodyBytes", "reply", "models",
            "scenarios", "replies", "policies", "proxy", "record", "replay");
    static final List<String> REPLY_FIELDS = List.of("text", "firstChunkDelayMs", "chunkDelayMs");
    private static final ObjectMapper YAML = new YAMLMapper();

    private ConfigFile() {
    }

    /** Reads the file onto the draft. */
    public static void apply(Path file, SettingsDraft draft) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be read: " + e.getMessage());
        }
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new ConfigException(file + (at == null ? "" : ":" + at.getLineNr()) + ": not valid YAML or JSON: "
                    + e.getOriginalMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return; // an empty file changes nothing
        }
        try {
            applyTree(root, draft, file.toAbsolutePath().getParent());
        } catch (InputException e) {
            int line = lineOf(text, e.field());
            throw new ConfigException(file + (line > 0 ? ":" + line : "") + ": " + e.getMessage());
        }
    }

    private static void applyTree(JsonNode root, SettingsDraft draft, Path base) {
        if (!root.isObject()) {
            throw new InputException(null, "the config must be a mapping with the keys " + FIELDS);
        }
        ScenarioCodec.checkFields(root, FIELDS, null);
        // Read everything first; the draft changes only once nothing can fail any more.
        SettingsDraft next = copy(draft);
        ScenarioCodec.text(root, "host", v -> next.host = v);
        ScenarioCodec.integer(root, "port", v -> next.port = ScenarioCodec.toInt("port", v));
        ScenarioCodec.integer(root, "seed", v -> next.seed = v);
        ScenarioCodec.integer(root, "journalSize", v -> next.journalSize = ScenarioCodec.toInt("journalSize", v));
        ScenarioCodec.integer(root, "maxBodyBytes", v -> next.maxBodyBytes = v);
        JsonNode reply = root.get("reply");
        if (reply != null && !reply.isNull()) {
            if (!reply.isObject()) throw ScenarioCodec.wrongType("reply", reply, "a mapping with " + REPLY_FIELDS);
            try {
                ScenarioCodec.checkFields(reply, REPLY_FIELDS, null);
                ScenarioCodec.text(reply, "text", v -> next.replyText = v);
                ScenarioCodec.integer(reply, "firstChunkDelayMs", v -> next.firstChunkDelayMs = v);
                ScenarioCodec.integer(reply, "chunkDelayMs", v -> next.chunkDelayMs = v);
            } catch (InputException e) {
                throw e.within("reply");
            }
        }
        JsonNode models = root.get("models");
        if (models != null && !models.isNull()) {
            if (!models.isObject()) throw ScenarioCodec.wrongType("models", models, "a mapping of provider to model ids");
            Iterator<Map.Entry<String, JsonNode>> it = models.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                Provider p = ScenarioCodec.parseEnum("models." + e.getKey(),
                        com.fasterxml.jackson.databind.node.TextNode.valueOf(e.getKey()), Provider::parse);
                if (!e.getValue().isArray()) throw ScenarioCodec.wrongType("models." + e.getKey(), e.getValue(), "a list of model ids");
                List<String> ids = new ArrayList<>();
                e.getValue().forEach(id -> ids.add(id.asText()));
                next.models.put(p, List.copyOf(ids));
            }
        }
        JsonNode scenarios = root.get("scenarios");
        if (scenarios != null && !scenarios.isNull()) {
            if (!scenarios.isArray()) throw ScenarioCodec.wrongType("scenarios", scenarios, "a list of scenarios");
            for (int i = 0; i < scenarios.size(); i++) {
                try {
                    next.scenarios.add(ScenarioCodec.read(scenarios.get(i)));
                } catch (InputException e) {
                    throw e.within("scenarios[" + i + "]");
                }
            }
        }
        JsonNode replies = root.get("replies");
        if (replies != null && !replies.isNull()) {
            if (!replies.isArray()) throw ScenarioCodec.wrongType("replies", replies, "a list of reply rules");
            for (int i = 0; i < replies.size(); i++) {
                try {
                    next.replies.add(ReplyCodec.read(replies.get(i)));
                } catch (InputException e) {
                    throw e.within("replies[" + i + "]");
                }
            }
        }
        next.proxy = ProxyCodec.read(root, next.proxy, base); // relative directories are the file's
        JsonNode policies = root.get("policies");
        if (policies != null && !policies.isNull()) {
            if (!policies.isObject()) throw ScenarioCodec.wrongType("policies", policies, "a mapping with " + PolicyCodec.NAMES);
            ScenarioCodec.checkFields(policies, PolicyCodec.NAMES, "policies");
            for (String name : PolicyCodec.NAMES) {
                if (ScenarioCodec.present(policies, name)) {
                    try {
                        PolicyCodec.read(name, policies.get(name), policy -> assign(next, name, policy));
                    } catch (InputException e) {
                        throw e.within("policies." + name);
                    }
                }
            }
        }
        try {
            next.toSettings();
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            throw new InputException(m.contains(":") ? m.substring(0, m.indexOf(':')) : null, m);
        }
        copyInto(next, draft);
    }

    private static void assign(SettingsDraft draft, String policyName, Object policy) {
        switch (policyName) {
            case "credentials" -> draft.credentials = (CredentialPolicy) policy;
            case "rateLimits" -> draft.rateLimits = (RateLimitPolicy) policy;
            case "network" -> draft.network = (NetworkPolicy) policy;
            default -> draft.versions = (VersionPolicy) policy;
        }
    }

    private static SettingsDraft copy(SettingsDraft d) {
        SettingsDraft c = new SettingsDraft();
        copyInto(d, c);
        return c;
    }

    private static void copyInto(SettingsDraft from, SettingsDraft to) {
        to.host = from.host;
        to.port = from.port;
        to.allowRemote = from.allowRemote;
        to.adminToken = from.adminToken;
        to.replyText = from.replyText;
        to.firstChunkDelayMs = from.firstChunkDelayMs;
        to.chunkDelayMs = from.chunkDelayMs;
        to.journalSize = from.journalSize;
        to.maxBodyBytes = from.maxBodyBytes;
        to.seed = from.seed;
        to.credentials = from.credentials;
        to.rateLimits = from.rateLimits;
        to.network = from.network;
        to.versions = from.versions;
        to.proxy = from.proxy;
        to.models.clear();
        to.models.putAll(from.models);
        List<Scenario> scenarios = new ArrayList<>(from.scenarios);
        to.scenarios.clear();
        to.scenarios.addAll(scenarios);
        List<ReplyRule> replies = new ArrayList<>(from.replies);
        to.replies.clear();
        to.replies.addAll(replies);
    }

    /** The line of a field given as a dotted path ({@code scenarios[1].times}), or 0 when it cannot be found. */
    static int lineOf(String text, String field) {
        if (field == null) {
            return 0;
        }
        String pointer = "/" + field.replace("[", "/").replace("]", "").replace(".", "/").replaceAll("^/+", "")
                .replace("//", "/");
        int best = 0;
        try (JsonParser p = YAML.getFactory().createParser(text)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                String here = p.getParsingContext().pathAsPointer().toString();
                if (t == JsonToken.FIELD_NAME || t.isScalarValue() || t.isStructStart()) {
                    if (here.equals(pointer)) {
                        return p.currentTokenLocation().getLineNr();
                    }
                    if (pointer.startsWith(here + "/") || pointer.equals(here)) {
                        best = p.currentTokenLocation().getLineNr();
                    }
                }
            }
        } catch (IOException e) {
            return best;
        }
        return best;
    }
}
