package dev.llmfault.junit;

import dev.llmfault.junit.internal.Settings;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** Parallel safety starts with an extension object that cannot change: all state lives in the ExtensionContext Store. */
class ExtensionStateTest {

    @Test
    void theExtensionHoldsOnlyFinalImmutableSettings() {
        Field[] fields = Arrays.stream(LlmFaultExtension.class.getDeclaredFields())
                .filter(f -> !Modifier.isStatic(f.getModifiers())).toArray(Field[]::new);
        assertThat(fields).allSatisfy(f -> assertThat(Modifier.isFinal(f.getModifiers())).as(f.getName()).isTrue());
        assertThat(fields).extracting(Field::getType).containsOnly(Settings.class);
        assertThat(Settings.class.isRecord()).isTrue();
        assertThat(LlmFaultExtension.class.getDeclaredFields()).noneMatch(f -> Modifier.isStatic(f.getModifiers())
                && !Modifier.isFinal(f.getModifiers()));
    }
}
