package dev.llmfault.server.internal.dialect;

/**
 * A model a provider lists by default, with its context window (prompt plus output tokens), from which a
 * too-long request is told apart.
 *
 * <pre>{@code
 * new ModelSpec("gpt-4o", 128_000)
 * }</pre>
 */
public record ModelSpec(String id, int contextWindow) {
}
