package dev.llmfault.server.internal.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.Conversation;
import dev.llmfault.server.Conversation.Message;
import dev.llmfault.server.Conversation.Role;
import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.json.Json;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The corners of each request shape the provider-wide ConversationReadingTest does not send. */
class ConversationReadersTest {
    private static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}";

    private static JsonNode json(String text) {
        return Json.tryParse(text).orElseThrow(() -> new AssertionError("not JSON: " + text));
    }

    private static Conversation read(Provider p, String path, String body) {
        Dialect d = Dialects.create().dialect(p);
        RouteMatch route = null;
        for (Route r : d.routes()) {
            Map<String, String> params = r.match(path);
            if (params != null && r.method().equals("POST")) {
                route = new RouteMatch(r, params);
                break;
            }
        }
        assertThat(route).as("a POST route of %s for %s", p, path).isNotNull();
        return d.conversation(route, json(body));
    }

    @Test
    void aToolChoiceForcingOneAnthropicToolIsStructuredOutputByThatToolsSchema() {
        Conversation c = read(Provider.ANTHROPIC, "/v1/messages", """
                {"model":"m","max_tokens":9,"messages":[{"role":"user","content":"Paris?"}],
                 "tools":[{"name":"record","input_schema":%s},{"name":"other","input_schema":{"type":"object"}}],
                 "tool_choice":{"type":"tool","name":"record"}}""".formatted(SCHEMA));
        assertThat(c.forcedTool()).isEqualTo("record");
        assertThat(c.outputSchema()).isEqualTo(json(SCHEMA));
    }

    @Test
    void anAnthropicUserMessageWithTwoResultsAndTextIsTwoToolMessagesThenTheText() {
        Conversation c = read(Provider.ANTHROPIC, "/v1/messages", """
                {"model":"m","max_tokens":9,"messages":[{"role":"user","content":"Weather?"},
                 {"role":"assistant","content":[{"type":"text","text":"Checking."},
                   {"type":"tool_use","id":"t1","name":"w","input":{"city":"Paris"}},
                   {"type":"tool_use","id":"t2","name":"w","input":{"city":"Rome"}}]},
                 {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"sun"},
                   {"type":"tool_result","tool_use_id":"t2","content":[{"type":"text","text":"rain"}],"is_error":false},
                   {"type":"text","text":"And tomorrow?"}]}]}""");
        assertThat(c.messages()).extracting(Message::role)
                .containsExactly(Role.USER, Role.ASSISTANT, Role.TOOL, Role.TOOL, Role.USER);
        assertThat(c.messages().get(1).text()).isEqualTo("Checking.");
        assertThat(c.toolCalls()).extracting(Conversation.ToolCall::id).containsExactly("t1", "t2");
        assertThat(c.toolResult("t2")).map(Message::text).hasValue("rain");
        assertThat(c.lastUserMessage()).isEqualTo("And tomorrow?");
        assertThat(c.hasToolResult()).isFalse();
    }

    @Test
    void responsesFunctionCallsJoinTheAssistantMessageBeforeThem() {
        Conversation c = read(Provider.OPENAI, "/v1/responses", """
                {"model":"m","input":[{"type":"message","role":"developer","content":"Be brief"},
                 {"role":"user","content":"Weather?"},
                 {"type":"reasoning","id":"rs_1","summary":[]},
                 {"type":"message","role":"assistant","content":[{"type":"output_text","text":"Checking."}]},
                 {"type":"function_call","call_id":"c1","name":"w","arguments":"{\\"city\\":\\"Paris\\"}"},
                 {"type":"function_call","call_id":"c2","name":"w","arguments":"{\\"city\\":\\"Rome\\"}"},
                 {"type":"function_call_output","call_id":"c1","output":"sun"},
                 {"type":"function_call_output","call_id":"c2","output":"rain"}],
                 "tool_choice":{"type":"function","name":"w"},
                 "tools":[{"type":"function","name":"w","parameters":%s},{"type":"web_search"}],
                 "text":{"format":{"type":"json_object"}}}""".formatted(SCHEMA));
        assertThat(c.messages()).extracting(Message::role)
                .containsExactly(Role.SYSTEM, Role.USER, Role.ASSISTANT, Role.TOOL, Role.TOOL);
        assertThat(c.messages().get(2).toolCalls()).hasSize(2);
        assertThat(c.messages().get(2).text()).isEqualTo("Checking.");
        assertThat(c.turn()).isEqualTo(2);
        assertThat(c.tools()).extracting(Conversation.Tool::name).containsExactly("w");
        assertThat(c.forcedTool()).isEqualTo("w");
        assertThat(c.outputSchema()).as("the request's own format wins over the forced tool").isEqualTo(json("{\"type\":\"object\"}"));
    }

    @Test
    void aResponsesInputStringIsOneUserMessageAfterTheInstructions() {
        Conversation c = read(Provider.OPENAI, "/v1/responses", "{\"model\":\"m\",\"instructions\":\"Be brief\",\"input\":\"Hi\"}");
        assertThat(c.messages()).containsExactly(Message.system("Be brief"), Message.user("Hi"));
        assertThat(c.outputSchema()).isNull();
    }

    @Test
    void openAiJsonModeIsAnyObjectAndArgumentsThatAreNoJsonStayText() {
        Conversation c = read(Provider.OPENAI, "/v1/chat/completions", """
                {"model":"m","messages":[{"role":"user","content":"x"},
                 {"role":"assistant","content":"","tool_calls":[{"id":"c1","type":"function","function":{"name":"w","arguments":"{city: Paris"}}]},
                 {"role":"tool","tool_call_id":"c1","content":[{"type":"text","text":"s"},{"type":"text","text":"un"}]}],
                 "response_format":{"type":"json_object"}}""");
        assertThat(c.outputSchema()).isEqualTo(json("{\"type\":\"object\"}"));
        assertThat(c.toolCalls().get(0).arguments().isTextual()).isTrue();
        assertThat(c.toolCalls().get(0).arguments().asText()).isEqualTo("{city: Paris");
        assertThat(c.toolResult("c1")).map(Message::text).hasValue("sun");
    }

    @Test
    void openAiTextFormatAsksForNoSchema() {
        Conversation c = read(Provider.OPENAI, "/v1/chat/completions",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"response_format\":{\"type\":\"text\"}}");
        assertThat(c.outputSchema()).isNull();
        assertThat(c.forcedTool()).isNull();
    }

    @Test
    void ollamaResultsWithoutIdsAnswerTheCallsOfTheirToolInOrder() {
        Conversation c = read(Provider.OLLAMA, "/api/chat", """
                {"model":"m","messages":[{"role":"user","content":"x"},
                 {"role":"assistant","content":"","tool_calls":[{"function":{"name":"w","arguments":{"city":"Paris"}}},
                   {"function":{"name":"t","arguments":{}}},{"function":{"name":"w","arguments":{"city":"Rome"}}}]},
                 {"role":"tool","tool_name":"w","content":"sun"},{"role":"tool","tool_name":"t","content":"12:00"},
                 {"role":"tool","content":"rain"}],
                 "format":"json"}""");
        assertThat(c.toolCalls()).extracting(Conversation.ToolCall::id).containsExactly("w", "t", "w_2");
        assertThat(c.messages().subList(2, 5)).extracting(Message::toolCallId).containsExactly("w", "t", "w_2");
        assertThat(c.outputSchema()).isEqualTo(json("{\"type\":\"object\"}"));
    }

    @Test
    void ollamaGenerateIsItsSystemAndPrompt() {
        Conversation c = read(Provider.OLLAMA, "/api/generate",
                "{\"model\":\"m\",\"system\":\"Be brief\",\"prompt\":\"Hi\",\"format\":" + SCHEMA + "}");
        assertThat(c.messages()).containsExactly(Message.system("Be brief"), Message.user("Hi"));
        assertThat(c.outputSchema()).isEqualTo(json(SCHEMA));
    }

    @Test
    void cohereToolPlanIsTheAssistantsTextAndDocumentsAreTheResult() {
        Conversation c = read(Provider.COHERE, "/v2/chat", """
                {"model":"m","messages":[{"role":"user","content":"x"},
                 {"role":"assistant","tool_plan":"I will check.","tool_calls":[{"id":"c1","type":"function",
                   "function":{"name":"w","arguments":"{}"}}]},
                 {"role":"tool","tool_call_id":"c1","content":[{"type":"document","document":{"data":{"temp":18}}}]}],
                 "response_format":{"type":"json_object"}}""");
        assertThat(c.messages().get(1).text()).isEqualTo("I will check.");
        assertThat(c.toolResult("c1")).map(Message::text).hasValue("{\"temp\":18}");
        assertThat(c.outputSchema()).isEqualTo(json("{\"type\":\"object\"}"));
    }

    @Test
    void geminiSchemaBecomesJsonSchemaAndAnyWithOneFunctionForcesIt() {
        Conversation c = read(Provider.GEMINI, "/v1beta/models/gemini-2.5-flash:generateContent", """
                {"contents":[{"parts":[{"text":"x"}]}],
                 "tools":[{"functionDeclarations":[{"name":"record","parameters":{"type":"OBJECT","properties":{
                   "tags":{"type":"ARRAY","items":{"type":"STRING"},"minItems":"1","maxItems":"3"},
                   "note":{"type":"STRING","nullable":true}},"required":["tags"]}}]}],
                 "toolConfig":{"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["record"]}}}""");
        assertThat(c.forcedTool()).isEqualTo("record");
        assertThat(c.outputSchema()).isEqualTo(json("""
                {"type":"object","properties":{"tags":{"type":"array","items":{"type":"string"},"minItems":1,"maxItems":3},
                 "note":{"type":["string","null"]}},"required":["tags"]}"""));
        assertThat(c.messages()).containsExactly(Message.user("x"));
    }

    @Test
    void geminiJsonMimeTypeWithoutSchemaIsAnyObject() {
        Conversation c = read(Provider.GEMINI, "/v1beta/models/gemini-2.5-flash:generateContent",
                "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"x\"}]}],\"generationConfig\":{\"responseMimeType\":\"application/json\"}}");
        assertThat(c.outputSchema()).isEqualTo(json("{\"type\":\"object\"}"));
    }

    @Test
    void bedrockToolChoiceForcingOneToolIsStructuredOutput() {
        Conversation c = read(Provider.BEDROCK, "/model/anthropic.claude-3-haiku-20240307-v1:0/converse", """
                {"messages":[{"role":"user","content":[{"text":"x"}]}],
                 "toolConfig":{"tools":[{"toolSpec":{"name":"record","inputSchema":{"json":%s}}}],
                   "toolChoice":{"tool":{"name":"record"}}}}""".formatted(SCHEMA));
        assertThat(c.forcedTool()).isEqualTo("record");
        assertThat(c.outputSchema()).isEqualTo(json(SCHEMA));
    }

    @Test
    void aBodyOfTheWrongShapeReadsAsLittleAsItCanWithoutFailing() {
        for (Provider p : Provider.values()) {
            Dialect d = Dialects.create().dialect(p);
            Route chat = d.routes().stream().filter(r -> r.kind() == Route.Kind.CHAT).findFirst().orElseThrow();
            RouteMatch m = new RouteMatch(chat, Map.of("model", "m", "modelId", "m", "deployment", "d"));
            for (String body : new String[] {"{}", "{\"messages\":\"x\",\"contents\":7,\"input\":{},\"tools\":\"t\"}",
                    "{\"messages\":[1,null,{\"role\":7}],\"contents\":[1,{\"parts\":\"p\"}],\"input\":[1,{\"type\":3}],"
                            + "\"system\":5,\"tools\":[1,{\"function\":2}],\"response_format\":[],\"format\":3}"}) {
                assertThat(d.conversation(m, json(body))).as("%s %s", p, body).isNotNull();
            }
        }
    }
}
