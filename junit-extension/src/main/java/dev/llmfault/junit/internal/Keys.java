package dev.llmfault.junit.internal;

import dev.llmfault.junit.LlmApiKey;
import dev.llmfault.server.Credentials;
import org.junit.jupiter.api.BeforeEach;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;

/** The per-test API keys that scope a test's view of a shared server. */
public final class Keys {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Keys() {
    }

    /** A fresh key shaped like a provider key, unique to one test. */
    public static String generate() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return "sk-llmfault-" + HexFormat.of().formatHex(bytes);
    }

    /** True when the test method or a {@code @BeforeEach} method of its class takes an {@code @LlmApiKey}. */
    public static boolean wanted(Class<?> testClass, Method testMethod) {
        if (testMethod != null && takesKey(testMethod)) {
            return true;
        }
        if (testClass == null) {
            return false;
        }
        for (Class<?> c : Declared.classChain(testClass)) {
            for (Method m : AnnotationSupport.findAnnotatedMethods(c, BeforeEach.class, HierarchyTraversalMode.TOP_DOWN)) {
                if (takesKey(m)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean takesKey(Method m) {
        for (Parameter p : m.getParameters()) {
            if (p.isAnnotationPresent(LlmApiKey.class)) {
                return true;
            }
        }
        return false;
    }

    /** The URL of a handle on {@code server} that sees only the traffic of {@code key}. */
    public static URI scopedUrl(URI server, String key) {
        return URI.create(server + "/?apiKeyFingerprint=" + Credentials.fingerprint(key)
                + "&apiKeyMask=" + URLEncoder.encode(Credentials.mask(key), StandardCharsets.UTF_8));
    }

    public static String mask(String key) {
        return Credentials.mask(key);
    }
}
