package dev.llmfault.server;

import org.apiguardian.api.API;

/**
 * The LLM providers whose wire formats the fake server speaks. One server serves all of them at once,
 * each on its real paths.
 *
 * <pre>{@code
 * try (FakeLlmServer server = FakeLlmServer.start()) {
 *     URI openAi = server.baseUrl(Provider.OPENAI);       // http://127.0.0.1:PORT/v1
 *     URI anthropic = server.baseUrl(Provider.ANTHROPIC); // http://127.0.0.1:PORT
 * }
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
public enum Provider {
    /** OpenAI: {@code POST /v1/chat/completions}, {@code GET /v1/models}. Clients take a base URL ending in {@code /v1}. */
    OPENAI("/v1"),
    /** Anthropic: {@code POST /v1/messages}. Clients take the bare host as base URL. */
    ANTHROPIC(""),
    /** Cohere v2: {@code POST /v2/chat}. Clients take the bare host as base URL. */
    COHERE(""),
    /** Zhipu GLM (BigModel): {@code POST /api/paas/v4/chat/completions}. Base URL ends in {@code /api/paas/v4}. */
    ZHIPU("/api/paas/v4"),
    /**
     * Azure OpenAI: {@code POST /openai/deployments/{deployment}/chat/completions?api-version=...} and the v1 API
     * under {@code /openai/v1}. Clients take the resource endpoint, the bare host, as base URL.
     */
    AZURE_OPENAI(""),
    /**
     * AWS Bedrock Runtime: {@code POST /model/{modelId}/converse}, {@code /converse-stream} (AWS event-stream),
     * {@code /invoke} (Anthropic bodies), SigV4-signed. The AWS SDK takes the bare host as {@code endpointOverride}.
     */
    BEDROCK(""),

    /**
     * Google Gemini API: {@code POST /v1beta/models/{model}:generateContent}, {@code :streamGenerateContent},
     * {@code :countTokens}, {@code GET /v1beta/models}; the same under {@code /v1}. google-genai takes the bare
     * host as base URL (it adds {@code /v1}); LangChain4j's base URL ends in {@code /v1beta}.
     */
    GEMINI(""),
    /**
     * Ollama: {@code POST /api/chat}, {@code /api/generate} (NDJSON streams by default), {@code GET /api/tags},
     * {@code POST /api/show}. Clients take the bare host; no credential unless a credentials policy is set.
     */
    OLLAMA("");

    private final String basePath;

    Provider(String basePath) {
        this.basePath = basePath;
    }

    /** The path a client's base URL ends with, {@code ""} when the client takes the bare host. */
    public String basePath() {
        return basePath;
    }

    /** Reads a provider name case-insensitively, naming the allowed values when it is unknown. */
    public static Provider parse(String name) {
        for (Provider p : values()) {
            if (p.name().equalsIgnoreCase(name.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown provider '" + name + "', allowed: "
                + java.util.Arrays.toString(values()));
    }
}
