package dev.llmfault.server.internal.reply;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.llmfault.server.Conversation;
import dev.llmfault.server.internal.dialect.Answer;
import dev.llmfault.server.internal.dialect.Finish;
import dev.llmfault.server.internal.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every document generated from a schema of the corpus ({@code src/test/resources/schemas}: schemas as openai-java,
 * Spring AI, LangChain4j and google-genai send them for records) validates against it, by networknt's
 * json-schema-validator with format assertions on; and the same schema always gives the same document.
 */
class SchemaInstanceTest {
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    private static String resource(String name) {
        try (InputStream in = SchemaInstanceTest.class.getResourceAsStream("/schemas/" + name)) {
            assertThat(in).as("schema %s", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode json(String text) {
        return Json.tryParse(text).orElseThrow(() -> new AssertionError("not JSON: " + text));
    }

    /** The validator's complaints about a document (none: it validates), format assertions on. */
    static List<Error> errors(String schemaText, JsonNode document) {
        Schema schema = REGISTRY.getSchema(schemaText);
        return schema.validate(Json.text(document), InputFormat.JSON,
                (context, schemaContext) -> context.executionConfig(c -> c.formatAssertionsEnabled(true)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai-java-book.json", "openai-java-optional.json", "spring-ai-actor-films.json",
            "spring-ai-nested.json", "langchain4j-person.json", "langchain4j-recursive.json",
            "google-genai-recipe.json", "constraints-bean-validation.json", "json-mode.json"})
    void theGeneratedDocumentValidatesAgainstItsSchema(String name) {
        String schema = resource(name);
        JsonNode document = SchemaInstance.of(json(schema));

        assertThat(errors(schema, document)).as("%s generated %s", name, document).isEmpty();
        assertThat(SchemaInstance.of(json(schema))).as("the same again").isEqualTo(document);
    }

    @Test
    void theValidatorCatchesADocumentThatBreaksTheSchema() {
        // the check above can fail: a document missing a required field is refused
        String schema = resource("openai-java-book.json");
        JsonNode broken = SchemaInstance.of(json(schema)).deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) broken).remove("title");
        assertThat(errors(schema, broken)).isNotEmpty();
        // and formats are asserted, not only annotated
        assertThat(errors("{\"type\":\"string\",\"format\":\"email\"}", json("\"not an address\""))).isNotEmpty();
        assertThat(errors("{\"type\":\"string\",\"format\":\"date-time\"}", json("\"2024-13-45\""))).isNotEmpty();
    }

    @Test
    void everyPropertyIsFilledEnumsTakeTheFirstValueAndFormatsLookReal() {
        JsonNode doc = SchemaInstance.of(json(resource("spring-ai-nested.json")));
        JsonNode customer = doc.path("customer");
        assertThat(customer.path("id").asText()).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(customer.path("email").asText()).isEqualTo("user@example.com");
        assertThat(customer.path("since").asText()).isEqualTo("2024-01-11");
        JsonNode order = doc.path("orders").path(0);
        assertThat(order.path("placedAt").asText()).isEqualTo("2024-01-11T10:30:00Z");
        assertThat(order.path("status").asText()).isEqualTo("NEW");
        assertThat(order.path("lines")).hasSize(1);
        assertThat(order.path("total").isDouble()).as("a number is a fraction, so an int parser finds out").isTrue();
    }

    @Test
    void aRecursiveSchemaEndsWhereNothingMoreIsRequired() {
        JsonNode doc = SchemaInstance.of(json(resource("langchain4j-recursive.json")));
        int depth = 0;
        for (JsonNode node = doc.path("root"); !node.isMissingNode(); node = node.path("children").path(0)) {
            depth++;
        }
        assertThat(depth).isBetween(2, 20);
    }

    @Test
    void aJsonModeWithoutSchemaGetsASmallObject() {
        assertThat(SchemaInstance.of(json("{\"type\":\"object\"}"))).isEqualTo(json("{\"result\":\"example\"}"));
        assertThat(SchemaInstance.of(null)).isEqualTo(json("{\"result\":\"example\"}"));
    }

    @Test
    void theDefaultAnswerIsTheDocumentAsTextOrACallOfTheForcedTool() {
        JsonNode schema = json("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}");
        Answer text = StructuredDefault.answer(new Conversation(List.of(), List.of(), schema), "call_1");
        assertThat(json(text.text())).isEqualTo(json("{\"city\":\"example\"}"));
        assertThat(text.finish()).isEqualTo(Finish.STOP);

        Conversation forced = new Conversation(List.of(), List.of(new Conversation.Tool("record", schema)), schema, "record");
        Answer call = StructuredDefault.answer(forced, "toolu_1");
        assertThat(call.finish()).isEqualTo(Finish.TOOL_CALLS);
        assertThat(call.toolCalls()).containsExactly(new Conversation.ToolCall("toolu_1", "record", json("{\"city\":\"example\"}")));

        assertThat(StructuredDefault.answer(Conversation.EMPTY, "call_1")).isNull();
    }
}
