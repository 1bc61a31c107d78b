package dev.llmfault.junit;

import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.RequestJournal;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code @LlmFaultTest(replay = ...)}: recorded answers in a test, faults on top, a clear answer when none matches. */
@LlmFaultTest(replay = "src/test/resources/llm-replay")
class ReplayAnnotationTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> ask(URI baseUrl, String question) throws Exception {
        String body = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"" + question + "\"}]}";
        return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/chat/completions"))
                .header("authorization", "Bearer sk-test-replay-0123456789abcdef").header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRecordedQuestionGetsItsRecordedAnswer(@LlmBaseUrl URI baseUrl, RequestJournal journal) throws Exception {
        HttpResponse<String> answer = ask(baseUrl, "What is the capital of France?");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"content\":\"Paris.\"").contains("chatcmpl-recorded");
        assertThat(answer.headers().firstValue("x-request-id")).hasValue("req_recorded_1");
        assertThat(journal.entries()).singleElement()
                .satisfies(e -> assertThat(e.origin()).isEqualTo(JournalEntry.Origin.REPLAY));
    }

    @Test
    @LlmFaultScenario(fault = Fault.RATE_LIMITED, times = 1, retryAfterMs = 100)
    void faultsApplyOnTopOfTheRecording(@LlmBaseUrl URI baseUrl) throws Exception {
        assertThat(ask(baseUrl, "What is the capital of France?").statusCode()).isEqualTo(429);
        assertThat(ask(baseUrl, "What is the capital of France?").body()).contains("Paris.");
    }

    @Test
    void anUnrecordedQuestionIsAnErrorNamingTheClosestFixture(@LlmBaseUrl URI baseUrl, RequestJournal journal) throws Exception {
        HttpResponse<String> answer = ask(baseUrl, "What is the capital of Spain?");

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("closest fixture 0001-openai-v1-chat-completions.json differs: "
                + "body/messages/0/content: recorded \\\"What is the capital of France?\\\"");
        assertThat(journal.entries()).singleElement()
                .satisfies(e -> assertThat(e.origin()).isEqualTo(JournalEntry.Origin.REPLAY_UNMATCHED));
    }
}
