package dev.llmfault.server.internal.journal;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.llmfault.server.internal.json.Json;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** JsonBytes writes the bytes Jackson's generator writes. */
class JsonBytesTest {
    /** Plain ASCII, every escape Jackson makes, DEL, Latin-1, the BMP, and surrogates (paired and lone). */
    private static final char[] ALPHABET = ("abcXYZ019 -_/:.,{}[]'\"\\\u0000\u0001\u0008\t\n\u000b\f\r\u001f\u007f"
            + "\u0080\u00e9\u00ff\u0100\u20ac\u4e2d\ufffd\ud83d\ude00").toCharArray();

    @Test
    void stringsAndNamesAreWhatJacksonWrites() throws IOException {
        SplittableRandom random = new SplittableRandom(15);
        for (int i = 0; i < 20_000; i++) {
            char[] chars = new char[random.nextInt(40)];
            for (int k = 0; k < chars.length; k++) {
                chars[k] = ALPHABET[random.nextInt(i % 3 == 0 ? 10 : ALPHABET.length)];
            }
            String s = new String(chars);
            JsonBytes ours = new JsonBytes(16);
            ours.beginObject();
            ours.dynamicName(s);
            ours.string(s);
            ours.endObject();
            String jackson = jackson(g -> {
                g.writeStartObject();
                g.writeFieldName(s);
                g.writeString(s);
                g.writeEndObject();
            });
            assertThat(new String(ours.toByteArray(), StandardCharsets.UTF_8)).as("%s", s).isEqualTo(jackson);
        }
    }

    @Test
    void numbersBooleansNullsAndNestingAreWhatJacksonWrites() throws IOException {
        JsonBytes ours = new JsonBytes(1);
        ours.beginObject();
        ours.name(JsonBytes.name("a"));
        ours.beginArray();
        for (long n : new long[] {0, -1, 7, Long.MIN_VALUE, Long.MAX_VALUE, 1_000_000_000_000L}) {
            ours.number(n);
        }
        for (double d : new double[] {0.0, 1.5, 502.969415, 1e-7, 1e21, -3.25, 0.000001}) {
            ours.number(d);
        }
        ours.bool(true);
        ours.bool(false);
        ours.string(null);
        ours.beginObject();
        ours.endObject();
        ours.beginArray();
        ours.endArray();
        ours.endArray();
        ours.name(JsonBytes.name("b"));
        ours.rawValue(" {\"x\": [1, 2]}".trim());
        ours.name(JsonBytes.name("c"));
        ours.rawValue("{\"é\":\"\u4e2d\"}");
        ours.endObject();
        String jackson = jackson(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("a");
            for (long n : new long[] {0, -1, 7, Long.MIN_VALUE, Long.MAX_VALUE, 1_000_000_000_000L}) {
                g.writeNumber(n);
            }
            for (double d : new double[] {0.0, 1.5, 502.969415, 1e-7, 1e21, -3.25, 0.000001}) {
                g.writeNumber(d);
            }
            g.writeBoolean(true);
            g.writeBoolean(false);
            g.writeString((String) null);
            g.writeStartObject();
            g.writeEndObject();
            g.writeStartArray();
            g.writeEndArray();
            g.writeEndArray();
            g.writeFieldName("b");
            g.writeRawValue("{\"x\": [1, 2]}");
            g.writeFieldName("c");
            g.writeRawValue("{\"é\":\"\u4e2d\"}");
            g.writeEndObject();
        });
        assertThat(new String(ours.toByteArray(), StandardCharsets.UTF_8)).isEqualTo(jackson);
    }

    @Test
    void timesAreInstantToString() {
        for (String t : new String[] {"2026-12-02T19:46:13.034017817Z", "2026-12-02T19:46:13Z", "+10000-01-01T00:00:00Z"}) {
            JsonBytes ours = new JsonBytes(1);
            ours.time(Instant.parse(t));
            assertThat(new String(ours.toByteArray(), StandardCharsets.US_ASCII)).isEqualTo('"' + t + '"');
        }
    }

    @Test
    void aNameToPreEncodeMustBePlain() {
        assertThat(new String(JsonBytes.name("apiKeyMask"), StandardCharsets.US_ASCII)).isEqualTo("\"apiKeyMask\":");
        assertThatThrownBy(() -> JsonBytes.name("a\"b")).hasMessage("name: invalid value 'a\"b', expected plain ASCII");
    }

    private interface Writes {
        void to(JsonGenerator g) throws IOException;
    }

    private static String jackson(Writes writes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            writes.to(g);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
