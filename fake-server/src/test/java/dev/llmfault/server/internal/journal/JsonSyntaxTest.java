package dev.llmfault.server.internal.journal;

import com.fasterxml.jackson.core.JsonParser;
import dev.llmfault.server.internal.json.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** JsonSyntax only ever says yes where Jackson does, and says yes to the bodies clients send. */
class JsonSyntaxTest {
    private static final String[] VALID = {
            "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"system\",\"content\":\"You are a terse assistant.\"},"
                    + "{\"role\":\"user\",\"content\":\"Say hello in five words.\"}],\"temperature\":0.2,\"max_tokens\":64}",
            " {\n\t\"a\" : [ 1 , -0.5e+3 , 2E-2 , true , false , null , { } , [ ] , \"\\u00e9\\n\\\"\\\\\\/\" ] }\r\n",
            "[]", "{}", "0", "-0", "\"x\"", "null", "[[[[{\"a\":[{}]}]]]]", "{\"é\":\"中\ud83d\ude00\"}",
            "{\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\","
                    + "\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}}],\"tool_choice\":\"auto\"}",
    };
    private static final String[] INVALID = {
            "", " ", "{", "}", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "{'a':1}", "01", "1.", ".5", "+1", "1e", "-",
            "tru", "nul", "truex", "[1 2]", "{} {}", "\"a", "\"\\x\"", "\"\\u12G4\"", "\"a\tb\"", "NaN", "// c\n{}",
            "{\"a\":1}x", "[1]]", "{\"a\":[}", "\ufeff{}", "{\"a\"::1}", "[,1]",
    };
    private static final String FRAGMENTS = "{}[]\":,0123456789-+.eEtruefalsn \\u\n\tabé\u0001/";

    @Test
    void saysYesToValidBodiesAndNoToInvalidOnes() throws IOException {
        for (String s : VALID) {
            assertThat(JsonSyntax.surelyValid(s)).as("%s", s).isTrue();
            assertThat(jackson(s)).as("%s", s).isTrue();
        }
        for (String s : INVALID) {
            assertThat(JsonSyntax.surelyValid(s)).as("%s", s).isFalse();
            assertThat(jackson(s)).as("%s", s).isFalse();
        }
    }

    @Test
    void neverSaysYesWhereJacksonSaysNo() throws IOException {
        SplittableRandom random = new SplittableRandom(15);
        int yes = 0;
        for (int i = 0; i < 200_000; i++) {
            StringBuilder s = new StringBuilder(VALID[random.nextInt(VALID.length)]);
            for (int edits = random.nextInt(1, 4); edits > 0 && s.length() > 0; edits--) {
                int at = random.nextInt(s.length());
                char c = FRAGMENTS.charAt(random.nextInt(FRAGMENTS.length()));
                switch (random.nextInt(3)) {
                    case 0 -> s.deleteCharAt(at);
                    case 1 -> s.insert(at, c);
                    default -> s.setCharAt(at, c);
                }
            }
            String text = s.toString();
            if (JsonSyntax.surelyValid(text)) {
                yes++;
                assertThat(jackson(text)).as("JsonSyntax said yes to %s", text).isTrue();
            }
        }
        assertThat(yes).as("mutations still valid, so the check was exercised").isGreaterThan(10_000);
    }

    @Test
    void leavesWhatCouldMeetJacksonsLimitsToJackson() {
        assertThat(JsonSyntax.surelyValid("[".repeat(JsonSyntax.MAX_DEPTH + 1) + "]".repeat(JsonSyntax.MAX_DEPTH + 1))).isFalse();
        assertThat(JsonSyntax.surelyValid("[".repeat(JsonSyntax.MAX_DEPTH) + "]".repeat(JsonSyntax.MAX_DEPTH))).isTrue();
        assertThat(JsonSyntax.surelyValid("1".repeat(JsonSyntax.MAX_NUMBER + 1))).isFalse();
        assertThat(JsonSyntax.surelyValid("\"" + "a".repeat(JsonSyntax.MAX_LENGTH) + "\"")).isFalse();
        assertThat(JournalCodec.isJson("[".repeat(100) + "]".repeat(100))).as("Jackson decides").isTrue();
    }

    private static boolean jackson(String text) throws IOException {
        if (text.isBlank()) {
            return false;
        }
        try (JsonParser p = Json.MAPPER.getFactory().createParser(text)) {
            if (p.nextToken() == null) {
                return false;
            }
            p.skipChildren();
            return p.nextToken() == null;
        } catch (com.fasterxml.jackson.core.JsonProcessingException notJson) {
            return false;
        }
    }
}
