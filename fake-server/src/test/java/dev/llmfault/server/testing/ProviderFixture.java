package dev.llmfault.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.catalogue.Rendering;
import dev.llmfault.server.testing.Envelopes.ProviderError;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Everything a provider-wide test needs to know about one provider, the way its SDK speaks: how to send a
 * plain and a streaming call, how its error envelope looks, how to read the text out of its stream. Every
 * provider-wide test iterates {@link #all()}, so a new provider is covered, or fails to compile here.
 *
 * <pre>{@code
 * ProviderFixture f = ProviderFixture.of(Provider.OPENAI);
 * Http.send("POST", server.url().resolve(f.chatPath(true)), f.headers(f.key()), f.body(true, "Say hello").toString());
 * }</pre>
 */
public interface ProviderFixture {

    /** The fixture of a provider. A switch with no default: a new provider constant needs its fixture to compile. */
    static ProviderFixture of(Provider p) {
        return switch (p) {
            case OPENAI -> OpenAiFixture.INSTANCE;
            case ANTHROPIC -> AnthropicFixture.INSTANCE;
            case COHERE -> CohereFixture.INSTANCE;
            case ZHIPU -> ZhipuFixture.INSTANCE;
            case AZURE_OPENAI -> AzureOpenAiFixture.INSTANCE;
            case BEDROCK -> BedrockFixture.INSTANCE;
            case GEMINI -> GeminiFixture.INSTANCE;
            case OLLAMA -> OllamaFixture.INSTANCE;
        };
    }

    static List<ProviderFixture> all() {
        return Arrays.stream(Provider.values()).map(ProviderFixture::of).toList();
    }

    Provider provider();

    /** The path of a model call; a provider that streams on another path (Gemini) answers per {@code stream}. */
    String chatPath(boolean stream);

    /** A model the provider lists by default. */
    String model();

    /** A key that looks like one of the provider's. */
    String key();

    /** Only the credential, as the provider's SDK sends it. */
    Map<String, String> credential(String key);

    /** The header that carries the credential, to remove for a call without one. */
    String credentialHeader();

    /** Whether a call without a credential is refused (Ollama takes none unless a policy demands one). */
    default boolean credentialRequired() {
        return true;
    }

    /** The field every model call must have, whose absence is MISSING_FIELD ({@code messages}, Gemini's {@code contents}). */
    default String promptField() {
        return "messages";
    }

    /** Headers every call needs besides the content type and the credential (Anthropic's version). */
    default Map<String, String> requiredHeaders() {
        return Map.of();
    }

    /** A minimal valid body with one user message. */
    ObjectNode body(boolean stream, String userText);

    /** A body as rich as the provider's SDK builds it, plus fields the server has never heard of. */
    String richBody(boolean stream);

    /**
     * A body whose prompt is a system text of 8 characters, a user text of 9, and a user message of two text
     * parts of 4 and 5: 2 + 3 + 1 + 2 = 8 tokens by the server's estimate.
     */
    ObjectNode usageProbe();

    /** Prompt and completion tokens of a plain answer, as the SDK reads them. */
    int[] usage(JsonNode plainAnswer);

    String requestIdHeader();

    /** Fails unless the answer is this provider's error envelope (content type, fields, types); returns its parts. */
    ProviderError readError(Answer a);

    /** Asserts that an error read from an answer is the catalogue row's (type, code: what the envelope carries). */
    void assertMatchesRow(ProviderError e, Rendering row);

    /** Asserts the retry hints (header or body) and the rate-limit headers of an exhausted window. */
    void assertThrottleHeaders(Answer a);

    /** The text pieces of a streamed answer's body, in order; fails on a malformed stream. */
    List<String> streamText(String body);

    /** Asserts that the last frame of a stream is the provider's mid-stream error frame (STREAM_ERROR row). */
    void assertEndsWithErrorFrame(String body);

    /**
     * The {@link AgentConversation} (a tool call and its result, the tool offered, an output schema) as this
     * provider's SDKs send it: one request per request shape the provider serves (OpenAI's chat completions and
     * Responses API, Bedrock's Converse and invoke ...). Every dialect must read each back as the same conversation.
     */
    List<AgentConversation.Call> agentCalls();

    /** A text that only the closing frames of a complete stream contain ({@code [DONE]}, {@code message_stop}). */
    String terminalMarker();
}
