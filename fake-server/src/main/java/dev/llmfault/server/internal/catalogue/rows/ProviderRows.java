package dev.llmfault.server.internal.catalogue.rows;

import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.catalogue.RowTable;

/**
 * One provider's rows of the fault catalogue: a row for every {@link dev.llmfault.server.Fault}, plus named variants.
 * Adding a provider adds one such class and one line to {@link #of(Provider)}; no shared table changes.
 *
 * <pre>{@code
 * public final class AcmeRows implements ProviderRows {
 *     public Provider provider() { return Provider.ACME; }
 *     public void addTo(RowTable t) {
 *         t.row(RATE_LIMITED, 429, "rate_limited", null, "Slow down, retry in {retrySeconds}s").throttle();
 *         ...
 *         t.transport();
 *     }
 * }
 * }</pre>
 */
public interface ProviderRows {

    Provider provider();

    /** Adds every row of the provider; {@code CatalogueTableTest} fails when a fault has none. */
    void addTo(RowTable table);

    /** The rows of a provider. A switch with no default: a new provider constant without rows does not compile. */
    static ProviderRows of(Provider p) {
        return switch (p) {
            case OPENAI -> new OpenAiRows();
            case ANTHROPIC -> new AnthropicRows();
            case COHERE -> new CohereRows();
            case ZHIPU -> new ZhipuRows();
        };
    }
}
