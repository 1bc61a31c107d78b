package dev.llmfault.junit;

import org.junit.jupiter.api.extension.ExtendWith;
import org.apiguardian.api.API;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The container of repeated {@link LlmReply} annotations; Java writes it for you when a reply annotation is
 * repeated, so you never need to write it yourself.
 *
 * <pre>{@code
 * @LlmReply(match = @LlmReply.Match(turn = 1), toolCalls = @LlmReply.ToolCall(name = "get_weather", arguments = "{}"))
 * @LlmReply(match = @LlmReply.Match(turn = 2), text = "18°C")      // both end up in @LlmReplies
 * void test() { ... }
 * }</pre>
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(LlmFaultExtension.class)
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public @interface LlmReplies {
    LlmReply[] value();
}
