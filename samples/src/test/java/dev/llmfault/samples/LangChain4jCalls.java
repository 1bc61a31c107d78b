package dev.llmfault.samples;

import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.llmfault.junit.LlmFaultAssertions;
import dev.llmfault.server.Fault;
import dev.llmfault.server.RequestJournal;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the LangChain4j samples' tests share, whatever the provider: the reaction a model shows to a fault, and a
 * streaming chat run to its end.
 *
 * <pre>{@code
 * CHAT.get(fault.fault()).assertCall(catchThrowable(() -> model.chat("hi")), fault.fault(), journal);
 * ChatResponse response = LangChain4jCalls.stream(model, "hi", partials);
 * }</pre>
 */
final class LangChain4jCalls {
    private LangChain4jCalls() {
    }

    /**
     * What a LangChain4j model does about a fault: the exception a call ends with, and how many requests it sent.
     * A transport failure is LangChain4j's bare {@code RuntimeException} around the {@code IOException}.
     */
    record Reaction(Class<? extends Throwable> thrown, int requests) {

        /** Asserts that a call with the fault on every request ended so, every request carrying the fault. */
        void assertCall(Throwable actual, Fault fault, RequestJournal journal) {
            assertThat(actual).as("%s", fault).isExactlyInstanceOf(thrown);
            if (thrown == RuntimeException.class) {
                assertThat(actual).hasCauseInstanceOf(IOException.class);
            }
            LlmFaultAssertions.assertThat(journal).hasAttempts(requests).gaveUpAfter(requests);
            assertThat(journal.entries()).allSatisfy(e -> assertThat(e.fault()).isEqualTo(fault));
        }
    }

    /**
     * Streams one chat to its end: the partial answers go into {@code partials}; returns the complete response or
     * throws the error the handler got (within 10 s).
     */
    static ChatResponse stream(StreamingChatModel model, String message, StringBuilder partials) throws Exception {
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        model.chat(message, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                partials.append(partial);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        try {
            return done.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }
}
