package dev.llmfault.junit;

import dev.llmfault.server.Provider;
import org.junit.jupiter.api.extension.ExtendWith;
import org.apiguardian.api.API;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A reply rule active during a test: the annotation form of {@code ReplyRule}, with every option of the admin
 * API. The fake model answers the calls it matches with a text, tool calls, a JSON document, or a sequence of
 * them by turn. Repeatable; on a class it applies to every test of the class (and of its subclasses and
 * {@code @Nested} classes), on a method it adds to the class's. As in WireMock, the rule of the highest
 * priority wins and among equal priorities the newest: a method's rule overrides its class's. In remote mode a
 * test's rules answer only its own key, as its scenarios do.
 *
 * <pre>{@code
 * @Test
 * @LlmReply(match = @LlmReply.Match(lastUserMessage = "weather"), sequence = {
 *         @LlmReply.Turn(toolCalls = @LlmReply.ToolCall(name = "get_weather", arguments = "{\"city\":\"Paris\"}")),
 *         @LlmReply.Turn(text = "It is 18°C in Paris.")})
 * void agentAnswersWithTheToolResult(@LlmBaseUrl(Provider.OPENAI) URI baseUrl) { ... }
 * }</pre>
 *
 * <p>Give exactly one of {@link #text()} (with {@link #toolCalls()} after it if you like), {@link #toolCalls()},
 * {@link #json()} or {@link #sequence()}. A wrong value (a tool name with a space, arguments that are no JSON
 * object, a regex that does not compile) fails the test before it starts, naming the annotation, where it is
 * declared, the element and the value.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Repeatable(LlmReplies.class)
@ExtendWith(LlmFaultExtension.class)
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public @interface LlmReply {
    /** Default of numeric elements that mean "not set". */
    int UNSET = Integer.MIN_VALUE;

    /** The providers it applies to (one rule each); empty for every provider. */
    Provider[] provider() default {};

    /** The answer's text; empty for none (an empty answer needs the builder: {@code Reply.text("")}). */
    String text() default "";

    /** Tool calls (several are parallel calls), after the {@link #text()} if there is one. */
    ToolCall[] toolCalls() default {};

    /** A JSON document as the whole answer (structured output), for example {@code {"name":"Ada"}}. */
    String json() default "";

    /** The replies of turns 1, 2, 3 ... of a conversation; a later turn goes to the next rule or the default reply. */
    Turn[] sequence() default {};

    /** 1 is the highest; unset is {@code ReplyRule.DEFAULT_PRIORITY} (5). */
    int priority() default UNSET;

    /** The rule's id; empty lets the server choose ({@code r-1}, ...). */
    String id() default "";

    /** Which calls it answers; every element is optional and all must hold. */
    Match match() default @Match;

    /**
     * One tool call.
     *
     * <pre>{@code
     * @LlmReply.ToolCall(name = "get_weather", arguments = "{\"city\":\"Paris\"}")
     * }</pre>
     */
    @Target({})
    @Retention(RetentionPolicy.RUNTIME)
    @interface ToolCall {
        /** The tool's name. */
        String name();

        /** The arguments as a JSON object. */
        String arguments() default "{}";

        /** The call's id; empty to have one generated in the provider's format. */
        String id() default "";
    }

    /**
     * The reply of one turn of a {@link #sequence()}.
     *
     * <pre>{@code
     * sequence = {@LlmReply.Turn(toolCalls = @LlmReply.ToolCall(name = "get_weather")), @LlmReply.Turn(text = "18°C")}
     * }</pre>
     */
    @Target({})
    @Retention(RetentionPolicy.RUNTIME)
    @interface Turn {
        String text() default "";

        ToolCall[] toolCalls() default {};

        String json() default "";
    }

    /** Whether the conversation must end with tool results: {@code ANY} does not look. */
    enum ToolResult { ANY, YES, NO }

    /**
     * Which calls a rule answers.
     *
     * <pre>{@code
     * @LlmReply(match = @LlmReply.Match(turn = 2, hasToolResult = LlmReply.ToolResult.YES), text = "18°C")
     * }</pre>
     */
    @Target({})
    @Retention(RetentionPolicy.RUNTIME)
    @interface Match {
        /** Only this exact path, for example {@code /v1/chat/completions}. */
        String path() default "";

        /** Only calls for this model. */
        String model() default "";

        /** Only calls sent with this API key (kept as a fingerprint only). */
        String apiKey() default "";

        /** Only calls carrying these headers, each {@code "Name: value"}. */
        String[] headers() default {};

        /** Only conversations whose last user message contains this text (case-sensitive). */
        String lastUserMessage() default "";

        /** Only conversations whose last user message contains a match of this Java regular expression. */
        String lastUserMessageRegex() default "";

        /** Only this turn (1 for the first call); 0 for any. */
        int turn() default 0;

        /** Whether the conversation must end with tool results. */
        ToolResult hasToolResult() default ToolResult.ANY;
    }
}
