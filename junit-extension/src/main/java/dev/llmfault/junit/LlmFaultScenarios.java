package dev.llmfault.junit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * The container of repeated {@link LlmFaultScenario} annotations; Java writes it for you when a scenario
 * annotation is repeated, so you never need to write it yourself.
 *
 * <pre>{@code
 * @LlmFaultScenario(fault = Fault.RATE_LIMITED, times = 1)
 * @LlmFaultScenario(fault = Fault.SERVER_ERROR, times = 1)   // both end up in @LlmFaultScenarios
 * void test() { ... }
 * }</pre>
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
// the extension comes with the annotation, so it works without @LlmFaultTest (JUnit registers it once)
@ExtendWith(LlmFaultExtension.class)
@API(status = API.Status.STABLE, since = "0.1")
public @interface LlmFaultScenarios {
    LlmFaultScenario[] value();
}
