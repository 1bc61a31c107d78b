package dev.llmfault.junit.internal;

import dev.llmfault.junit.LlmFaultTest;
import dev.llmfault.server.ServerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

import java.lang.reflect.Method;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code @LlmFaultTest}'s server attributes reach the one settings type by name, with no list to keep. */
class ServerAnnotationTest {

    @Test
    void everyServerAttributeMapsToASetterOfTheSettings() {
        for (Method attribute : LlmFaultTest.class.getDeclaredMethods()) {
            if (!ServerAnnotation.EXTENSION_ATTRIBUTES.contains(attribute.getName())
                    && !ServerAnnotation.CONVERTED.containsKey(attribute.getName())) {
                assertThat(ServerAnnotation.setter(attribute)).as(attribute.getName()).isNotNull();
            }
        }
    }

    @LlmFaultTest(replyText = "annotated", seed = 9, journalSize = 3, firstChunkDelayMs = 4, chunkDelayMs = 5)
    static class Annotated {
    }

    @LlmFaultTest
    static class Defaults {
    }

    @LlmFaultTest(chunkDelayMs = -2)
    static class Negative {
    }

    @Test
    void setValuesArriveAndDefaultsKeepTheServersDefaults() {
        ServerSettings s = ServerAnnotation.settings(Annotated.class.getAnnotation(LlmFaultTest.class), "class Annotated");
        assertThat(s).isEqualTo(ServerSettings.builder().replyText("annotated").seed(9).journalSize(3)
                .firstChunkDelay(Duration.ofMillis(4)).chunkDelay(Duration.ofMillis(5)).build());
        assertThat(ServerAnnotation.settings(Defaults.class.getAnnotation(LlmFaultTest.class), "class Defaults"))
                .isEqualTo(ServerSettings.defaults());
    }

    @Test
    void aBadValueNamesTheAttributeTheValueAndWhereItIs() {
        assertThatThrownBy(() -> ServerAnnotation.settings(Negative.class.getAnnotation(LlmFaultTest.class), "class Negative"))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("@LlmFaultTest(chunkDelayMs = -2) on class Negative: chunkDelayMs: invalid value -2,"
                        + " expected an integer >= 0");
    }
}
