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
import dev.llmfault.server.ServerSettings;
import dev.llmfault.server.VersionPolicy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads a config file (YAML or JSON; JSON is YAML) over given {@link ServerSettings}. All or nothing: on any
 * error nothing changes and a {@link ConfigException} names the file, the line and the field.
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
 * aliases: { mistral: /mistral/v1, groq: /groq/openai/v1 }   # OpenAI-compatible vendors
 * </pre>
 */
public final class ConfigFile {
    static final List<String> FIELDS = List.of("host", "port", "seed", "journalSize", "maxBodyBytes", "reply", "models",
            "scenarios", "replies", "policies", "proxy", "record", "replay", "aliases");
    static final List<String> REPLY_FIELDS = List.of("text", "firstChunkDelayMs", "chunkDelayMs");
    private static final ObjectMapper YAML = new YAMLMapper();

    private ConfigFile() {
    }

    /** The settings of the file read over {@code base}. */
    public static ServerSettings read(Path file, ServerSettings base) {
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
            return base; // an empty file changes nothing
        }
        try {
            return readTree(root, base, file.toAbsolutePath().getParent());
        } catch (InputException e) {
            int line = lineOf(text, e.field());
            throw new ConfigException(file + (line > 0 ? ":" + line : "") + ": " + e.getMessage());
        }
    }

    private static ServerSettings readTree(JsonNode root, ServerSettings base, Path dir) {
        if (!root.isObject()) {
            throw new InputException(null, "the config must be a mapping with the keys " + FIELDS);
        }
        ScenarioCodec.checkFields(root, FIELDS, null);
        ServerSettings.Builder next = base.toBuilder(); // the base is unchanged whatever fails
        ScenarioCodec.text(root, "host", next::host);
        ScenarioCodec.integer(root, "port", v -> next.port(ScenarioCodec.toInt("port", v)));
        ScenarioCodec.integer(root, "seed", next::seed);
        ScenarioCodec.integer(root, "journalSize", v -> next.journalSize(ScenarioCodec.toInt("journalSize", v)));
        ScenarioCodec.integer(root, "maxBodyBytes", next::maxBodyBytes);
        JsonNode reply = root.get("reply");
        if (reply != null && !reply.isNull()) {
            if (!reply.isObject()) throw ScenarioCodec.wrongType("reply", reply, "a mapping with " + REPLY_FIELDS);
            try {
                ScenarioCodec.checkFields(reply, REPLY_FIELDS, null);
                ScenarioCodec.text(reply, "text", next::replyText);
                ScenarioCodec.integer(reply, "firstChunkDelayMs", v -> next.firstChunkDelay(millis("firstChunkDelayMs", v)));
                ScenarioCodec.integer(reply, "chunkDelayMs", v -> next.chunkDelay(millis("chunkDelayMs", v)));
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
                next.models(p, ids.toArray(String[]::new));
            }
        }
        JsonNode scenarios = root.get("scenarios");
        if (scenarios != null && !scenarios.isNull()) {
            if (!scenarios.isArray()) throw ScenarioCodec.wrongType("scenarios", scenarios, "a list of scenarios");
            for (int i = 0; i < scenarios.size(); i++) {
                try {
                    next.scenario(ScenarioCodec.read(scenarios.get(i)));
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
                    next.reply(ReplyCodec.read(replies.get(i)));
                } catch (InputException e) {
                    throw e.within("replies[" + i + "]");
                }
            }
        }
        next.proxy(ProxyCodec.read(root, base.proxy(), dir)); // relative directories are the file's
        JsonNode aliases = root.get("aliases");
        if (aliases != null && !aliases.isNull()) {
            if (!aliases.isObject()) throw ScenarioCodec.wrongType("aliases", aliases, "a mapping of alias name to base path");
            Iterator<Map.Entry<String, JsonNode>> it = aliases.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isTextual()) {
                    throw ScenarioCodec.wrongType("aliases." + e.getKey(), e.getValue(), "a base path such as /mistral/v1");
                }
                next.alias(e.getKey(), e.getValue().asText());
            }
        }
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
            return next.build();
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            String field = m.contains(":") ? m.substring(0, m.indexOf(':')) : null;
            String inFile = field == null ? null : field.startsWith("alias ") ? "aliases." + field.substring(6)
                    : FILE_FIELDS.getOrDefault(field, field);
            throw new InputException(inFile, inFile == null ? m : inFile + m.substring(field.length()));
        }
    }

    /** The config file's name of a setting, where it differs from the setter's. */
    private static final Map<String, String> FILE_FIELDS = Map.of("replyText", "reply.text",
            "firstChunkDelayMs", "reply.firstChunkDelayMs", "chunkDelayMs", "reply.chunkDelayMs", "alias", "aliases");

    private static Duration millis(String field, long ms) {
        if (ms < 0) {
            throw new InputException(field, field + ": invalid value " + ms + ", expected an integer >= 0");
        }
        return Duration.ofMillis(ms);
    }

    private static void assign(ServerSettings.Builder next, String policyName, Object policy) {
        switch (policyName) {
            case "credentials" -> next.credentials((CredentialPolicy) policy);
            case "rateLimits" -> next.rateLimits((RateLimitPolicy) policy);
            case "network" -> next.network((NetworkPolicy) policy);
            default -> next.versions((VersionPolicy) policy);
        }
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
