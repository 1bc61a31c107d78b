package dev.llmfault.server.internal.dialect;

import dev.llmfault.server.Fault;
import dev.llmfault.server.internal.catalogue.Placeholder;
import dev.llmfault.server.internal.catalogue.Vars;

/**
 * Whether a model call fits its model's context window, as the provider counts it (see
 * {@link Dialect#contextCheck()}): a call that does not is refused with the catalogue's CONTEXT_LENGTH_EXCEEDED
 * row, the main one when the prompt alone is too long, the {@code with_output} variant when the prompt fits but
 * not with the output tokens the request reserves. A model the dialect does not list has no known window and is
 * never refused. Tokens are the server's estimate ({@link TokenCounter}), so a test can aim exactly.
 *
 * <pre>{@code
 * Rejection tooLong = ContextWindow.check(dialect, call);   // null when it fits
 * }</pre>
 */
public final class ContextWindow {
    /** The variant of a prompt that fits alone but not with the reserved output. */
    public static final String WITH_OUTPUT = "with_output";
    /** The window of an injected fault when the model has no known window. */
    static final int DEFAULT_WINDOW = 128_000;

    private ContextWindow() {
    }

    /** The model's context window (prompt plus output tokens) from the dialect's model list, or -1 when unknown. */
    public static int of(Dialect dialect, String model) {
        if (model == null) {
            return -1;
        }
        for (ModelSpec m : dialect.defaultModels()) {
            if (m.id().equals(model)) {
                return m.contextWindow();
            }
        }
        return -1;
    }

    /** A refusal when the call does not fit its model's window and the provider refuses such calls, else null. */
    public static Rejection check(Dialect dialect, ChatCall call) {
        Dialect.ContextCheck counted = dialect.contextCheck();
        int window = of(dialect, call.model());
        if (window < 0 || counted == Dialect.ContextCheck.TRUNCATE) {
            return null; // unknown window; or Ollama, which cuts the prompt to fit and answers (its log warns)
        }
        int prompt = call.promptTokens();
        int output = counted == Dialect.ContextCheck.PROMPT_AND_OUTPUT ? call.reservedTokens() : 0;
        if (prompt + output <= window) {
            return null;
        }
        String variant = prompt > window ? "" : WITH_OUTPUT;
        return Rejection.of(Fault.CONTEXT_LENGTH_EXCEEDED, variant, vars(window, prompt, output),
                "validation: " + prompt + " prompt tokens" + (output > 0 ? " + " + output + " reserved output tokens" : "")
                        + " exceed the context window of " + call.model() + " (" + window + " tokens)");
    }

    /**
     * The values of an injected CONTEXT_LENGTH_EXCEEDED: the model's window (or {@value #DEFAULT_WINDOW}), and a
     * prompt that overflows it by the request's own prompt tokens, so the numbers read like a real refusal.
     */
    public static Vars injected(Dialect dialect, ChatCall call) {
        int known = call == null ? -1 : of(dialect, call.model());
        int window = known > 0 ? known : DEFAULT_WINDOW;
        int prompt = window + Math.max(1, call == null ? 0 : call.promptTokens());
        return vars(window, prompt, 0);
    }

    private static Vars vars(int window, int prompt, int output) {
        return new Vars().put(Placeholder.LIMIT, window).put(Placeholder.PROMPT_TOKENS, prompt)
                .put(Placeholder.OUTPUT_TOKENS, output).put(Placeholder.REQUESTED, prompt + output);
    }
}
