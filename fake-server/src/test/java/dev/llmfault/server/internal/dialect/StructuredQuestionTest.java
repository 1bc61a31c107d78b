package dev.llmfault.server.internal.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.Conversation;
import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.json.Json;
import dev.llmfault.server.testing.AgentConversation;
import dev.llmfault.server.testing.ProviderFixture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Dialect#mayAskForStructuredOutput}, the cheap question the default answer asks before reading a whole
 * conversation, never says "no" to a body whose conversation has an output schema or a forced tool (or the
 * structured default would be skipped), and says "no" to a plain chat body (or it spares nothing).
 */
class StructuredQuestionTest {

    private static RouteMatch route(Dialect d, String path) {
        for (Route r : d.routes()) {
            Map<String, String> params = r.match(path.split("\\?", 2)[0]);
            if (params != null && r.method().equals("POST")) {
                return new RouteMatch(r, params);
            }
        }
        throw new AssertionError("no POST route of " + d.provider() + " for " + path);
    }

    private static JsonNode json(String text) {
        return Json.tryParse(text).orElseThrow(() -> new AssertionError("not JSON: " + text));
    }

    /** The body, then the body with each field (at any depth) removed in turn. */
    private static List<JsonNode> withEachFieldRemoved(JsonNode body) {
        List<JsonNode> variants = new ArrayList<>();
        variants.add(body);
        removeEach(body, body, new ArrayList<>(), variants);
        return variants;
    }

    private static void removeEach(JsonNode root, JsonNode node, List<Object> path, List<JsonNode> out) {
        if (node.isObject()) {
            Iterator<String> names = node.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                JsonNode copy = root.deepCopy();
                ObjectNode parent = (ObjectNode) at(copy, path);
                parent.remove(name);
                out.add(copy);
                List<Object> deeper = new ArrayList<>(path);
                deeper.add(name);
                removeEach(root, node.get(name), deeper, out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                List<Object> deeper = new ArrayList<>(path);
                deeper.add(i);
                removeEach(root, node.get(i), deeper, out);
            }
        }
    }

    private static JsonNode at(JsonNode node, List<Object> path) {
        JsonNode n = node;
        for (Object step : path) {
            n = step instanceof String name ? n.get(name) : n.get((Integer) step);
        }
        return n;
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void aNoIsOnlySaidToBodiesWhoseConversationAsksForNothingStructured(Provider p) {
        ProviderFixture fixture = ProviderFixture.of(p);
        Dialect d = Dialects.create().dialect(p);
        List<String[]> bodies = new ArrayList<>();
        for (AgentConversation.Call call : fixture.agentCalls()) {
            bodies.add(new String[] {call.path(), call.body()});
        }
        bodies.add(new String[] {fixture.chatPath(false), fixture.richBody(false)});
        int checked = 0;
        for (String[] pathAndBody : bodies) {
            RouteMatch route = route(d, pathAndBody[0]);
            for (JsonNode body : withEachFieldRemoved(json(pathAndBody[1]))) {
                if (!d.mayAskForStructuredOutput(route, body)) {
                    Conversation c = d.conversation(route, body);
                    assertThat(c.outputSchema()).as("%s %s: said no, yet the schema of %s", p, pathAndBody[0], body).isNull();
                    assertThat(c.forcedTool()).as("%s %s: said no, yet the forced tool of %s", p, pathAndBody[0], body).isNull();
                    checked++;
                }
            }
        }
        assertThat(checked).as("%s: bodies the question turned away", p).isPositive();
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void everyAgentCallAsksAndAPlainChatDoesNot(Provider p) {
        ProviderFixture fixture = ProviderFixture.of(p);
        Dialect d = Dialects.create().dialect(p);
        for (AgentConversation.Call call : fixture.agentCalls()) {
            assertThat(d.mayAskForStructuredOutput(route(d, call.path()), json(call.body()))).as("%s %s", p, call.path()).isTrue();
        }
        JsonNode plain = fixture.body(false, "Say hello.");
        assertThat(d.mayAskForStructuredOutput(route(d, fixture.chatPath(false)), plain)).as("%s plain %s", p, plain).isFalse();
    }
}
