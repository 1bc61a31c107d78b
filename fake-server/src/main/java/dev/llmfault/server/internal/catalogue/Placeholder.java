package dev.llmfault.server.internal.catalogue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@code {placeholders}} of catalogue messages, headers and users' body templates: the one list the
 * renderer ({@link Vars}), the validation of custom bodies and the tests share.
 *
 * <pre>{@code
 * new Vars().put(Placeholder.MODEL, "gpt-4o").fill("The model `{model}` does not exist", false);
 * }</pre>
 */
public enum Placeholder {
    /** The credential, masked (never whole). */
    KEY("key"),
    KEY_MASK("keyMask"),
    MODEL("model"),
    /** The field a validation error names. */
    FIELD("field"),
    METHOD("method"),
    PATH("path"),
    /** The API version the request asked for. */
    VERSION("version"),
    /** The versions the provider accepts. */
    SUPPORTED("supported"),
    /** What was wrong with a value. */
    DETAIL("detail"),
    SCOPE("scope"),
    IP("ip"),
    REGION("region"),
    LIMIT("limit"),
    USED("used"),
    REQUESTED("requested"),
    /** The prompt tokens of a call that does not fit the context window (the limit is {@code {limit}}). */
    PROMPT_TOKENS("promptTokens"),
    /** The output tokens such a call reserves ({@code max_tokens}). */
    OUTPUT_TOKENS("outputTokens"),
    /** The retry hint as a duration text ({@code 2.50s}, {@code 200ms}). */
    RETRY_IN("retryIn"),
    RETRY_SECONDS("retrySeconds"),
    RETRY_MS("retryMs"),
    REQUEST_ID("requestId"),
    /** The status of the answer (body templates of scenarios). */
    STATUS("status"),
    /** The fault's name (body templates of scenarios). */
    FAULT("fault"),
    SIZE("size"),
    MAX_SIZE("maxSize"),
    CONTENT_TYPE("contentType");

    private static final Map<String, Placeholder> BY_NAME = new HashMap<>();

    static {
        for (Placeholder p : values()) {
            BY_NAME.put(p.token, p);
        }
    }

    private final String token;

    Placeholder(String token) {
        this.token = token;
    }

    /** The name written between braces. */
    public String token() {
        return token;
    }

    /** The placeholder written {@code {name}}, or null when the name is none of ours. */
    public static Placeholder byName(String name) {
        return BY_NAME.get(name);
    }

    /** Every placeholder as written, for messages that list them: {@code {key}, {keyMask}, ...}. */
    public static String allowed() {
        return Arrays.stream(values()).map(p -> "{" + p.token + "}").collect(Collectors.joining(", "));
    }

    /**
     * Fails, naming the allowed placeholders, when a template uses a {@code {letters}} name that is none of ours:
     * a typo would otherwise reach a client's answer unfilled.
     */
    public static void requireKnown(String template, String what) {
        String unknown = firstUnknown(template);
        if (unknown != null) {
            throw new IllegalArgumentException(what + ": unknown placeholder {" + unknown + "}, allowed: " + allowed());
        }
    }

    /** The first {@code {letters}} name in the template that is not a placeholder, or null. */
    public static String firstUnknown(String template) {
        if (template == null) {
            return null;
        }
        int i = template.indexOf('{');
        while (i >= 0) {
            int end = template.indexOf('}', i + 1);
            if (end < 0) {
                return null;
            }
            String name = template.substring(i + 1, end);
            if (isName(name) && byName(name) == null) {
                return name;
            }
            i = template.indexOf('{', i + 1);
        }
        return null;
    }

    /** Letters only. A loop, not String.matches: that compiles a regex per placeholder of every error answer. */
    static boolean isName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z')) {
                return false;
            }
        }
        return true;
    }
}
