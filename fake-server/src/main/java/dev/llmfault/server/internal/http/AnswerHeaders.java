package dev.llmfault.server.internal.http;

import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.ServletContextResponse;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;

/**
 * Sets the headers every answer carries (the provider's rate-limit block, its version, ...) as
 * {@code response.setHeader} would, but reuses a pre-encoded Jetty field for a name and value seen on an earlier
 * answer. Most of them are the same on every answer (OpenAI's six {@code x-ratelimit-*} under no policy), and Jetty
 * writes a header it does not know character by character, checking each, while a pre-encoded one is one copy.
 *
 * <p>A small direct-mapped table, as in {@code SharedStrings}: a pair goes in the slot of its hash, replacing what was
 * there; its second sighting makes the pre-encoded field (a value seen once, a request id, costs no encoding). Reads
 * and writes race on purpose: a lost write only costs a missed reuse, and the entries are immutable. Never give it a
 * credential: header values here are the server's own.
 *
 * <pre>{@code
 * dialect.throttleHeaders(throttle, (name, value) -> AnswerHeaders.set(response, name, value));
 * }</pre>
 */
final class AnswerHeaders {
    private static final int SLOTS = 256; // a power of two
    private static final Slot[] TABLE = new Slot[SLOTS];

    /** A pair seen before, with its pre-encoded field once seen twice. */
    private record Slot(String name, String value, PreEncodedHttpField field) {
    }

    private AnswerHeaders() {
    }

    /** Sets the header, replacing any of the same name. Headers Jetty itself knows go through the servlet API. */
    static void set(HttpServletResponse response, String name, String value) {
        if (value == null || HttpHeader.CACHE.get(name) != null) {
            response.setHeader(name, value); // Content-Type and the like have side effects there; null removes
            return;
        }
        int slot = (name.hashCode() * 31 + value.hashCode()) & (SLOTS - 1);
        Slot held = TABLE[slot];
        if (held == null || !held.name().equals(name) || !held.value().equals(value)) {
            TABLE[slot] = new Slot(name, value, null);
            response.setHeader(name, value);
            return;
        }
        if (held.field() == null) {
            held = new Slot(name, value, new PreEncodedHttpField(name, value));
            TABLE[slot] = held;
        }
        HttpFields.Mutable fields = ServletContextResponse.getServletContextResponse(response).getHeaders();
        if (mayHold(fields, name)) {
            fields.put(held.field());
        } else {
            fields.add(held.field()); // what put does when no field has the name, without its scan through the wrapper
        }
    }

    /** Whether a field of this name is set, asked of Jetty's own list (the servlet wrapper's iterator costs more). */
    private static boolean mayHold(HttpFields fields, String name) {
        HttpFields own = fields;
        while (own instanceof HttpFields.Mutable.Wrapper wrapper) {
            own = wrapper.getWrapped();
        }
        return own.contains(name);
    }
}
