package dev.llmfault.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.llmfault.server.Conversation.Message;
import dev.llmfault.server.Conversation.ToolCall;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConversationTest {
    private final ToolCall call = new ToolCall("call_1", "get_weather",
            JsonNodeFactory.instance.objectNode().put("city", "Paris"));

    @Test
    void aFirstTurnHasNoAssistantMessageAndNoToolResult() {
        Conversation c = new Conversation(List.of(Message.system("Be brief"), Message.user("Weather in Paris?")),
                List.of(new Conversation.Tool("get_weather", null)), null);
        assertThat(c.turn()).isEqualTo(1);
        assertThat(c.lastUserMessage()).isEqualTo("Weather in Paris?");
        assertThat(c.hasToolResult()).isFalse();
        assertThat(c.tool("get_weather")).isPresent();
        assertThat(c.tool("search")).isEmpty();
    }

    @Test
    void aSecondTurnCarriesTheToolCallAndItsResult() {
        Conversation c = new Conversation(List.of(Message.user("Weather in Paris?"),
                Message.assistant("", List.of(call)), Message.toolResult("call_1", "18°C")), List.of(), null);
        assertThat(c.turn()).isEqualTo(2);
        assertThat(c.hasToolResult()).isTrue();
        assertThat(c.toolCalls()).containsExactly(call);
        assertThat(c.toolResult("call_1")).map(Message::text).hasValue("18°C");
        assertThat(c.toolResult("call_2")).isEmpty();
        assertThat(c.lastUserMessage()).isEqualTo("Weather in Paris?");
    }

    @Test
    void theEmptyConversationIsTurnOne() {
        assertThat(Conversation.EMPTY.turn()).isEqualTo(1);
        assertThat(Conversation.EMPTY.lastUserMessage()).isEmpty();
        assertThat(Conversation.EMPTY.hasToolResult()).isFalse();
    }
}
