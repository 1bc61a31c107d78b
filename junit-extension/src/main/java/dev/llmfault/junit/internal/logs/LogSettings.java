package dev.llmfault.junit.internal.logs;

import dev.llmfault.junit.CapturedLogs;
import dev.llmfault.junit.LlmFaultTest;
import dev.llmfault.junit.internal.Declared;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;

/** Whether a test captures its logs: it (or a {@code @BeforeEach}/{@code @AfterEach} method) takes them, or it asks. */
public final class LogSettings {
    private LogSettings() {
    }

    public static boolean captureLogs(Class<?> testClass, Method method) {
        if (takesLogs(method)) {
            return true;
        }
        for (Class<?> c : Declared.classChain(testClass)) {
            for (Class<? extends java.lang.annotation.Annotation> hook : List.of(BeforeEach.class, AfterEach.class)) {
                for (Method m : AnnotationSupport.findAnnotatedMethods(c, hook, HierarchyTraversalMode.TOP_DOWN)) {
                    if (takesLogs(m)) {
                        return true;
                    }
                }
            }
        }
        Optional<LlmFaultTest> onMethod = AnnotationSupport.findAnnotation(method, LlmFaultTest.class);
        if (onMethod.isPresent()) {
            return onMethod.get().captureLogs();
        }
        List<Class<?>> chain = Declared.classChain(testClass);
        for (int i = chain.size() - 1; i >= 0; i--) {
            Optional<LlmFaultTest> a = AnnotationSupport.findAnnotation(chain.get(i), LlmFaultTest.class);
            if (a.isPresent()) {
                return a.get().captureLogs();
            }
        }
        return false;
    }

    private static boolean takesLogs(Method m) {
        for (Class<?> type : m.getParameterTypes()) {
            if (type == CapturedLogs.class) {
                return true;
            }
        }
        return false;
    }
}
