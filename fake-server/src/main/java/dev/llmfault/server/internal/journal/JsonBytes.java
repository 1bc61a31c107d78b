package dev.llmfault.server.internal.journal;

import com.fasterxml.jackson.core.io.CharTypes;
import com.fasterxml.jackson.core.io.NumberOutput;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * UTF-8 JSON written straight into one growable array: the journal's admin answers, which a keyed query of a shared
 * server makes ~100 KB at a time. Jackson's generator spent most of such an answer copying each string into a char
 * buffer and checking it char by char; here a name is pre-encoded once ({@link #name(String)}), a plain ASCII string
 * (nearly every header, path, key mask and fingerprint) is copied with one check per char, and anything else is
 * escaped exactly as Jackson's generator escapes it (JsonBytesTest compares the bytes).
 *
 * <pre>{@code
 * JsonBytes out = new JsonBytes(256);
 * out.beginObject();
 * out.name(JsonBytes.name("status"));
 * out.number(200);
 * out.endObject();
 * out.writeTo(response.getOutputStream());   // {"status":200}
 * }</pre>
 */
public final class JsonBytes {
    /** Jackson's escapes for chars below 128: 0 where the char is written as it is. */
    private static final int[] ESCAPES = CharTypes.get7BitOutputEscapes();
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    /**
     * Arrays of answers already sent, for the next ones: a keyed answer of a shared server is ~130 KB, and a new one
     * per query was most of what the admin API allocated. A few, each at most {@value #MAX_POOLED} bytes.
     */
    private static final AtomicReferenceArray<byte[]> POOL = new AtomicReferenceArray<>(4);
    private static final int MAX_POOLED = 4 << 20;

    private byte[] buf;
    private int size;
    /** A value was written in the current object or array: the next name or element needs a comma. */
    private boolean comma;

    JsonBytes(int capacity) {
        this.buf = new byte[Math.max(capacity, 64)];
    }

    private JsonBytes(byte[] buf) {
        this.buf = buf;
    }

    /** Writes into an array an earlier answer gave back with {@link #release()}, if any. */
    static JsonBytes pooled(int capacity) {
        for (int i = 0; i < POOL.length(); i++) {
            byte[] held = POOL.getAndSet(i, null);
            if (held != null) {
                return new JsonBytes(held); // grows if this answer is larger
            }
        }
        return new JsonBytes(capacity);
    }

    /** Gives the array back for another answer: call it once the bytes are written out, and use nothing after it. */
    public void release() {
        byte[] done = buf;
        buf = null;
        size = 0;
        if (done != null && done.length <= MAX_POOLED) {
            for (int i = 0; i < POOL.length(); i++) {
                if (POOL.compareAndSet(i, null, done)) {
                    return;
                }
            }
        }
    }

    /** A field name encoded once, with its quotes and colon: keep it in a constant. Plain ASCII names only. */
    static byte[] name(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 128 || ESCAPES[c] != 0) {
                throw new IllegalArgumentException("name: invalid value '" + name + "', expected plain ASCII");
            }
        }
        return ('"' + name + "\":").getBytes(StandardCharsets.US_ASCII);
    }

    void beginObject() {
        separate();
        put((byte) '{');
        comma = false;
    }

    void endObject() {
        put((byte) '}');
        comma = true;
    }

    void beginArray() {
        separate();
        put((byte) '[');
        comma = false;
    }

    void endArray() {
        put((byte) ']');
        comma = true;
    }

    /** A pre-encoded name from {@link #name(String)}. */
    void name(byte[] encoded) {
        separate();
        ensure(encoded.length);
        System.arraycopy(encoded, 0, buf, size, encoded.length);
        size += encoded.length;
        comma = false;
    }

    /** A name known only now (a header's): escaped like a string value. */
    void dynamicName(String name) {
        separate();
        quoted(name);
        put((byte) ':');
        comma = false;
    }

    /** A string value, or {@code null}. */
    void string(String s) {
        separate();
        if (s == null) {
            bytes(NULL);
        } else {
            quoted(s);
        }
        comma = true;
    }

    void number(long n) {
        separate();
        ensure(20);
        size = NumberOutput.outputLong(n, buf, size);
        comma = true;
    }

    /** As Jackson writes a double by default: {@link Double#toString(double)}. */
    void number(double d) {
        separate();
        ascii(Double.toString(d));
        comma = true;
    }

    void bool(boolean b) {
        separate();
        bytes(b ? TRUE : FALSE);
        comma = true;
    }

    /** An instant as {@link Instant#toString()} writes it, quoted. */
    void time(Instant t) {
        separate();
        ensure(Timestamps.MAX_LENGTH + 2);
        buf[size++] = '"';
        size = Timestamps.write(t, buf, size);
        buf[size++] = '"';
        comma = true;
    }

    /** JSON text already known to be one valid value, copied as UTF-8 without re-escaping. */
    void rawValue(String json) {
        separate();
        if (!copyAscii(json, false)) {
            bytes(json.getBytes(StandardCharsets.UTF_8));
        }
        comma = true;
    }

    /** JSON already encoded as UTF-8, one valid value. */
    void rawValue(byte[] json) {
        separate();
        bytes(json);
        comma = true;
    }

    public int size() {
        return size;
    }

    public void writeTo(OutputStream out) throws IOException {
        out.write(buf, 0, size);
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    private void separate() {
        if (comma) {
            put((byte) ',');
        }
    }

    private void quoted(String s) {
        put((byte) '"');
        if (!copyPlain(s)) {
            escaped(s);
        }
        put((byte) '"');
    }

    /**
     * As Jackson's UTF-8 generator writes a string with its default features: its escapes below 128 (a backslash and
     * n, or u and four upper-case hex digits), other chars as UTF-8, except each surrogate (paired or not) as a
     * u escape of its own.
     */
    private void escaped(String s) {
        ensure(s.length() * 6);
        byte[] b = buf;
        int at = size;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 128) {
                int escape = ESCAPES[c];
                if (escape == 0) {
                    b[at++] = (byte) c;
                } else if (escape > 0) {
                    b[at++] = '\\';
                    b[at++] = (byte) escape;
                } else {
                    at = unicodeEscape(b, at, c);
                }
            } else if (c < 0x800) {
                b[at++] = (byte) (0xC0 | (c >> 6));
                b[at++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                at = unicodeEscape(b, at, c);
            } else {
                b[at++] = (byte) (0xE0 | (c >> 12));
                b[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[at++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        size = at;
    }

    private static int unicodeEscape(byte[] b, int at, char c) {
        b[at++] = '\\';
        b[at++] = 'u';
        for (int shift = 12; shift >= 0; shift -= 4) {
            b[at++] = HEX[(c >> shift) & 0xF];
        }
        return at;
    }

    /** Copies the string when every char is ASCII that JSON writes as it is; otherwise copies nothing. */
    private boolean copyPlain(String s) {
        return copyAscii(s, true);
    }

    /** Copies the string when every char is ASCII (and needs no escape, if asked); otherwise copies nothing. */
    private boolean copyAscii(String s, boolean noEscapes) {
        int n = s.length();
        ensure(n);
        byte[] b = buf;
        int at = size;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 128 || (noEscapes && ESCAPES[c] != 0)) {
                return false;
            }
            b[at + i] = (byte) c;
        }
        size = at + n;
        return true;
    }

    private void ascii(String s) {
        if (!copyAscii(s, false)) {
            throw new IllegalArgumentException("not ASCII: " + s);
        }
    }

    private void bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
    }

    private void put(byte b) {
        ensure(1);
        buf[size++] = b;
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }
}
