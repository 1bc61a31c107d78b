package dev.llmfault.junit.internal;

import dev.llmfault.server.JournalEntry;

import java.util.List;
import java.util.Optional;

/** The provider's request id of an answer, from the header each provider uses for it. */
public final class RequestIds {
    /** OpenAI, Cohere, Zhipu; Anthropic; AWS Bedrock; AWS S3-style; Azure. */
    public static final List<String> HEADERS = List.of("x-request-id", "request-id", "x-amzn-requestid",
            "x-amz-request-id", "apim-request-id", "x-ms-request-id");

    private RequestIds() {
    }

    public static Optional<String> of(JournalEntry e) {
        for (String name : HEADERS) {
            String id = e.responseHeader(name);
            if (id != null && !id.isBlank()) {
                return Optional.of(id);
            }
        }
        return Optional.empty();
    }
}
