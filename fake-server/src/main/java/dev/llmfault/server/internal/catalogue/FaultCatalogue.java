package dev.llmfault.server.internal.catalogue;

import dev.llmfault.server.Fault;
import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.catalogue.rows.ProviderRows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The fault catalogue as data: (fault, provider, variant) -> status, error type, code, message, headers.
 * This is the only place that knows a provider's statuses and messages; dialects render from it and
 * nothing else hard-codes a status. Each provider's rows are one class in {@code rows/} (see
 * {@link ProviderRows}); rows marked modelled are our best guess where no real answer was seen.
 *
 * <p>To add a fault: one enum constant in {@link Fault} plus a row in every provider's rows class. To add a
 * provider: one dialect class plus one rows class.
 */
public final class FaultCatalogue {
    private static final FaultCatalogue INSTANCE = new FaultCatalogue();

    private final Map<Provider, Map<Fault, Map<String, Rendering>>> rows = new EnumMap<>(Provider.class);

    public static FaultCatalogue get() {
        return INSTANCE;
    }

    private FaultCatalogue() {
        for (Provider p : Provider.values()) {
            ProviderRows source = ProviderRows.of(p);
            if (source.provider() != p) {
                throw new IllegalStateException(source.getClass().getSimpleName() + " gives the rows of "
                        + source.provider() + ", not of " + p);
            }
            RowTable table = new RowTable(p);
            source.addTo(table);
            rows.put(p, table.rows());
        }
    }

    /** The rendering of a fault by a provider, the named variant if it exists, else the main one. */
    public Rendering lookup(Fault fault, Provider provider, String variant) {
        Map<String, Rendering> variants = rows.get(provider).get(fault);
        if (variants == null) {
            throw new IllegalStateException("the catalogue has no row for " + fault + " on " + provider);
        }
        Rendering r = variant == null ? null : variants.get(variant);
        return r != null ? r : variants.get("");
    }

    public Rendering lookup(Fault fault, Provider provider) {
        return lookup(fault, provider, "");
    }

    /** Every row, for documentation and the table-driven tests, by provider then fault. */
    public List<Rendering> all() {
        List<Rendering> out = new ArrayList<>();
        rows.values().forEach(byFault -> byFault.values().forEach(v -> out.addAll(v.values())));
        return Collections.unmodifiableList(out);
    }
}
