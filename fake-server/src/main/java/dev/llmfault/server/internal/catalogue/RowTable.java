package dev.llmfault.server.internal.catalogue;

import dev.llmfault.server.Fault;
import dev.llmfault.server.Provider;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where one provider's rows are written (see {@code rows.ProviderRows}): the provider is fixed, so a row
 * names only the fault, the status, the provider's error type and code, and the message template.
 *
 * <pre>{@code
 * t.row(INVALID_TOKEN, 401, "invalid_request_error", "invalid_api_key", "Incorrect API key provided: {keyMask}.");
 * t.variant(RATE_LIMITED, "tokens", 429, "tokens", "rate_limit_exceeded", "...").throttle().modelled();
 * }</pre>
 */
public final class RowTable {
    private final Provider provider;
    private final Map<Fault, Map<String, Rendering>> rows = new EnumMap<>(Fault.class);

    RowTable(Provider provider) {
        this.provider = provider;
    }

    Map<Fault, Map<String, Rendering>> rows() {
        return rows;
    }

    /** The main rendering of a fault. */
    public RowBuilder row(Fault f, int status, String type, String code, String message) {
        return variant(f, "", status, type, code, message);
    }

    /** A named variant, which the pipeline asks for by name (a refusal's reason); the main row is the fallback. */
    public RowBuilder variant(Fault f, String variant, int status, String type, String code, String message) {
        if (!rows.computeIfAbsent(f, x -> new LinkedHashMap<>()).containsKey(variant)) {
            RowBuilder b = new RowBuilder(f, variant, status, type, code, message);
            return b.store();
        }
        throw new IllegalStateException("two rows for " + f + "/" + provider + " variant '" + variant + "'");
    }

    /** The transport faults: behaviour, not error bodies; the rows record their status for completeness. */
    public void transport() {
        row(Fault.SLOW_RESPONSE, 200, null, null, "");
        row(Fault.CONNECTION_RESET, 0, null, null, "");
        row(Fault.STREAM_INTERRUPTED, 200, null, null, "");
        row(Fault.STREAM_STALLED, 200, null, null, "");
    }

    /** Collects a row; every setter stores the row again, so a chain needs no closing call. */
    public final class RowBuilder {
        private final Fault fault;
        private final String variant;
        private final int status;
        private final String type;
        private final String code;
        private final String message;
        private String param;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private boolean throttle;
        private boolean verified = true;

        private RowBuilder(Fault fault, String variant, int status, String type, String code, String message) {
            this.fault = fault;
            this.variant = variant;
            this.status = status;
            this.type = type;
            this.code = code;
            this.message = message;
            Placeholder.requireKnown(message, fault + "/" + provider + " message");
        }

        /** OpenAI's {@code error.param} (a template). */
        public RowBuilder param(String param) { this.param = param; return store(); }
        /** A fixed response header (a template). */
        public RowBuilder header(String name, String value) { headers.put(name, value); return store(); }
        /** The answer carries retry hints and the provider's rate-limit headers. */
        public RowBuilder throttle() { this.throttle = true; return store(); }
        /** Our best guess where no real answer was seen: easy to correct here. */
        public RowBuilder modelled() { this.verified = false; return store(); }

        private RowBuilder store() {
            rows.get(fault).put(variant, new Rendering(fault, provider, variant, status, type, code, param, message,
                    Map.copyOf(headers), throttle, verified));
            return this;
        }
    }
}
