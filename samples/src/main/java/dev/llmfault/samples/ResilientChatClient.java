package dev.llmfault.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A chat client for the OpenAI chat-completions wire format (OpenAI itself, Zhipu GLM, most gateways),
 * written the way the error-1200 article's best practices say:
 * <ul>
 *   <li>exponential backoff with jitter that never retries earlier than {@code retry-after-ms} /
 *       {@code Retry-After}, with capped attempts, and fails fast when the hint is longer than it may wait;</li>
 *   <li>no retry of what a retry cannot fix (bad request, bad credential, spent quota, blocked IP or region,
 *       retired API or model);</li>
 *   <li>one refresh and replay when a token expired ({@link Credentials#refreshAfterRejection});</li>
 *   <li>a typed {@link LlmCallException} naming the article's cause, with status, provider error type and
 *       code, message, request id, rate-limit headers and the masked key;</li>
 *   <li>a {@link #preflight() pre-flight check} of credentials, connectivity and model through {@code GET /models};</li>
 *   <li>an {@link #askWithTools agent's tool loop} whose retries re-send the whole conversation, so no tool runs
 *       twice, and {@link #askFor structured output} read into a record, asked again when it does not parse and
 *       failed clearly when it was cut at the token limit or filtered;</li>
 *   <li>sanitized request logging through SLF4J: sizes, statuses, request ids and masked keys, never a prompt or a
 *       key (attempts at DEBUG, failures at WARN);</li>
 *   <li>Micrometer counters: {@code llm.client.requests} and {@code llm.client.failures} tagged with provider,
 *       HTTP status and the article's cause, and an optional {@link ErrorRateAlarm} fed with every answer.</li>
 * </ul>
 *
 * <pre>{@code
 * ResilientChatClient client = ResilientChatClient.builder(URI.create("https://api.openai.com/v1"))
 *         .apiKey(System.getenv("OPENAI_API_KEY"))
 *         .model("gpt-4o-mini")
 *         .maxAttempts(4)
 *         .build();
 * client.preflight();
 * String answer = client.ask("Say hello");
 * }</pre>
 *
 * <p>Thread-safe once built.
 */
public final class ResilientChatClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(ResilientChatClient.class);
    /** The most model calls one {@link #askWithTools} makes. */
    public static final int MAX_TURNS = 8;

    private final String baseUrl;
    private final Credentials credentials;
    private final String model;
    private final int maxAttempts;
    private final Backoff backoff;
    private final Duration maxRetryAfter;
    private final Duration requestTimeout;
    private final HttpClient http;
    private final Consumer<String> log;
    private final Consumer<String> warn;
    private final String provider;
    private final MeterRegistry meters;
    private final ErrorRateAlarm alarm;

    private ResilientChatClient(Builder b) {
        String url = b.baseUrl.toString();
        this.baseUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.credentials = Objects.requireNonNull(b.credentials, "credentials: set apiKey(...) or credentials(...)");
        this.model = b.model;
        this.maxAttempts = b.maxAttempts;
        this.backoff = new Backoff(b.baseDelay, b.maxDelay);
        this.maxRetryAfter = b.maxRetryAfter;
        this.requestTimeout = b.requestTimeout;
        this.http = b.http != null ? b.http
                : HttpClient.newBuilder().connectTimeout(b.connectTimeout).version(HttpClient.Version.HTTP_1_1).build();
        this.log = b.log != null ? b.log : LOG::debug;
        this.warn = b.log != null ? b.log : LOG::warn;
        this.provider = b.provider;
        this.meters = b.meters != null ? b.meters : Metrics.globalRegistry;
        this.alarm = b.alarm;
    }

    /** Starts a client for an OpenAI-style base URL, the one that ends in {@code /v1}. */
    public static Builder builder(URI baseUrl) {
        return new Builder(baseUrl);
    }

    /** One user message in, the assistant's text out. */
    public String ask(String prompt) {
        byte[] body = requestBody(prompt, false);
        return call("chat", credential -> {
            HttpRequest request = post("/chat/completions", credential, body);
            long start = System.nanoTime();
            HttpResponse<String> response = sendWithinTimeout(request);
            if (response.statusCode() != 200) {
                return Outcome.failed(diagnose(response.statusCode(), response.headers(), response.body()), start);
            }
            Optional<String> text = replyText(response.body());
            if (text.isEmpty()) {
                return Outcome.failed(ErrorClassifier.unreadable("a 200 answer without choices[0].message.content",
                        requestId(response.headers())), start);
            }
            return Outcome.ok(text.get(), requestId(response.headers()), start);
        }, "POST /chat/completions model=" + model + " messages=1 body=" + body.length + "B stream=false");
    }

    /**
     * Streams the answer: each piece of text goes to {@code onText} as it arrives, and the whole text is
     * returned once the stream ended with {@code [DONE]}. A stream that breaks (an error event, a cut
     * connection, an end without {@code [DONE]}) is retried only while no text reached {@code onText};
     * after that the caller decides, from the {@link LlmCallException}, what to do with the partial answer.
     */
    public String askStreaming(String prompt, Consumer<String> onText) {
        byte[] body = requestBody(prompt, true);
        return call("stream", credential -> {
            HttpRequest request = post("/chat/completions", credential, body);
            long start = System.nanoTime();
            HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
            if (response.statusCode() != 200) {
                String errorBody;
                try (Stream<String> lines = response.body()) {
                    errorBody = lines.collect(Collectors.joining("\n"));
                }
                return Outcome.failed(diagnose(response.statusCode(), response.headers(), errorBody), start);
            }
            return readStream(response, onText, start);
        }, "POST /chat/completions model=" + model + " messages=1 body=" + body.length + "B stream=true");
    }

    /**
     * A tool the model may call.
     *
     * <pre>{@code
     * new ResilientChatClient.Tool("get_weather", "The weather in a city", schema, args -> weather(args.path("city").asText()))
     * }</pre>
     *
     * @param name        its name, as the model calls it
     * @param description what it does, for the model
     * @param parameters  the JSON Schema of its arguments
     * @param run         runs it on the model's arguments and returns the result the model reads
     */
    public record Tool(String name, String description, JsonNode parameters, Function<JsonNode, String> run) {
        public Tool {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(parameters, "parameters");
            Objects.requireNonNull(run, "run");
        }
    }

    /**
     * Runs the tool loop: sends the question with the tools, runs each tool the model calls, sends the results back
     * and goes on until the model answers in text (at most {@value #MAX_TURNS} turns). Each model call is retried
     * like {@link #ask} with the very same conversation, the results it already holds included, so no tool runs
     * twice however many faults come in between. A call of a tool that does not exist, or with arguments that are
     * no JSON, is answered with an error result the model can read and correct (as the providers advise), not
     * thrown.
     *
     * @throws LlmCallException as {@link #ask} does; {@link LlmCallException.Cause#MODEL_OUTPUT} when the answer
     *                          was cut at the token limit or filtered, or the loop did not end
     */
    public String askWithTools(String prompt, List<Tool> tools) {
        ObjectNode conversation = JSON.createObjectNode();
        conversation.put("model", model);
        ArrayNode messages = conversation.putArray("messages");
        messages.addObject().put("role", "user").put("content", prompt);
        ArrayNode offered = conversation.putArray("tools");
        for (Tool t : tools) {
            ObjectNode function = offered.addObject().put("type", "function").putObject("function").put("name", t.name());
            if (t.description() != null) {
                function.put("description", t.description());
            }
            function.set("parameters", t.parameters());
        }
        Map<String, String> results = new java.util.HashMap<>(); // call id -> result: a tool runs once per call
        for (int turn = 1; turn <= MAX_TURNS; turn++) {
            JsonNode choice = chatChoice(conversation, "agent turn " + turn);
            JsonNode message = choice.path("message");
            JsonNode calls = message.path("tool_calls");
            if (!calls.isArray() || calls.isEmpty()) {
                return message.path("content").asText("");
            }
            messages.add(message.deepCopy());
            for (JsonNode call : calls) {
                String id = call.path("id").asText();
                String result = results.computeIfAbsent(id, k -> runTool(tools, call.path("function")));
                messages.addObject().put("role", "tool").put("tool_call_id", id).put("content", result);
            }
        }
        throw modelOutputFailure("the tool loop did not end in " + MAX_TURNS + " turns");
    }

    /**
     * Structured output: asks for a JSON document that follows {@code schema} (OpenAI's {@code response_format}
     * {@code json_schema}, strict) and reads it into {@code type} with Jackson. An answer that is no valid
     * {@code type} is asked again at once, as any failed attempt, up to {@code maxAttempts}; an answer cut at the
     * token limit or filtered fails at once (asking again would be cut again).
     *
     * <pre>{@code
     * record Forecast(String city, int celsius) { }
     * Forecast f = client.askFor("Weather in Paris?", Forecast.class, schema);
     * }</pre>
     *
     * @throws LlmCallException {@link LlmCallException.Cause#MODEL_OUTPUT} naming what was wrong with the answer
     */
    public <T> T askFor(String prompt, Class<T> type, JsonNode schema) {
        ObjectNode root = JSON.createObjectNode();
        root.put("model", model);
        root.putArray("messages").addObject().put("role", "user").put("content", prompt);
        ObjectNode format = root.putObject("response_format").put("type", "json_schema")
                .putObject("json_schema").put("name", type.getSimpleName()).put("strict", true);
        format.set("schema", schema);
        byte[] body = bytes(root);
        return call("structured", credential -> {
            long start = System.nanoTime();
            HttpResponse<String> response = sendWithinTimeout(post("/chat/completions", credential, body));
            if (response.statusCode() != 200) {
                return Outcome.failed(diagnose(response.statusCode(), response.headers(), response.body()), start);
            }
            String requestId = requestId(response.headers());
            JsonNode choice = JSON.readTree(response.body()).path("choices").path(0);
            Diagnosis stopped = unusable(choice, requestId);
            if (stopped != null) {
                return Outcome.failed(stopped, start);
            }
            String content = choice.path("message").path("content").asText("");
            try {
                return Outcome.ok(JSON.readValue(content, type), requestId, start);
            } catch (com.fasterxml.jackson.core.JsonProcessingException invalid) {
                return Outcome.failed(ErrorClassifier.modelOutput("the answer does not parse as a " + type.getSimpleName()
                        + ": " + invalid.getOriginalMessage(), true, requestId), start);
            }
        }, "POST /chat/completions model=" + model + " structured=" + type.getSimpleName() + " body=" + body.length + "B");
    }

    /** One model call of the tool loop with its retries: the conversation is sent as it is, every attempt. */
    private JsonNode chatChoice(ObjectNode conversation, String what) {
        byte[] body = bytes(conversation);
        return call("agent", credential -> {
            long start = System.nanoTime();
            HttpResponse<String> response = sendWithinTimeout(post("/chat/completions", credential, body));
            if (response.statusCode() != 200) {
                return Outcome.failed(diagnose(response.statusCode(), response.headers(), response.body()), start);
            }
            String requestId = requestId(response.headers());
            JsonNode choice = JSON.readTree(response.body()).path("choices").path(0);
            Diagnosis stopped = unusable(choice, requestId);
            return stopped != null ? Outcome.failed(stopped, start) : Outcome.ok(choice, requestId, start);
        }, "POST /chat/completions model=" + model + " " + what + " messages="
                + conversation.path("messages").size() + " body=" + body.length + "B");
    }

    /** Why a 200 answer cannot be used (cut at the token limit, filtered), or null. */
    private static Diagnosis unusable(JsonNode choice, String requestId) {
        String finish = choice.path("finish_reason").asText("");
        return switch (finish) {
            case "length" -> ErrorClassifier.modelOutput("the answer was cut at the token limit (finish reason"
                    + " length, max tokens): raise max_tokens or ask for less", false, requestId);
            case "content_filter", "sensitive" -> ErrorClassifier.modelOutput("the provider's content filter stopped"
                    + " the answer (finish_reason " + finish + ")", false, requestId);
            default -> null;
        };
    }

    /** Runs the tool the model called; a tool that does not exist or arguments that are no JSON become a result. */
    private static String runTool(List<Tool> tools, JsonNode function) {
        String name = function.path("name").asText();
        Optional<Tool> tool = tools.stream().filter(t -> t.name().equals(name)).findFirst();
        if (tool.isEmpty()) {
            return "error: there is no tool named '" + name + "'; the tools are "
                    + tools.stream().map(Tool::name).toList();
        }
        JsonNode arguments;
        try {
            arguments = JSON.readTree(function.path("arguments").asText("{}"));
        } catch (IOException e) {
            return "error: the arguments are no JSON object: " + e.getMessage();
        }
        return tool.get().run().apply(arguments);
    }

    private LlmCallException modelOutputFailure(String what) {
        Diagnosis d = ErrorClassifier.modelOutput(what, false, null);
        return new LlmCallException(d, 0, KeyMask.mask(credentials.current()), null);
    }

    /**
     * Checks credentials, connectivity and the model before any real work, through {@code GET /models}.
     *
     * @throws LlmCallException naming the cause: a refused key, an unreachable host, or a model the
     *                          provider does not list ({@link LlmCallException.Cause#WRONG_API_VERSION})
     */
    public Preflight preflight() {
        long begin = System.nanoTime();
        List<String> models = call("preflight", credential -> {
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/models"))
                    .timeout(requestTimeout)
                    .header("Authorization", "Bearer " + credential)
                    .header("Accept", "application/json")
                    .GET()
                    .build();
            long start = System.nanoTime();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Outcome.failed(diagnose(response.statusCode(), response.headers(), response.body()), start);
            }
            Optional<List<String>> ids = modelIds(response.body());
            if (ids.isEmpty()) {
                return Outcome.failed(ErrorClassifier.unreadable("a model list without data[].id",
                        requestId(response.headers())), start);
            }
            return Outcome.ok(ids.get(), requestId(response.headers()), start);
        }, "GET /models");
        Duration took = Duration.ofNanos(System.nanoTime() - begin);
        if (!models.contains(model)) {
            Diagnosis missing = new Diagnosis(LlmCallException.Cause.WRONG_API_VERSION, false, false, 200, null,
                    "model_not_listed", "model '" + model + "' is not listed by GET /models (listed: " + models + ")",
                    null, Map.of(), null);
            throw new LlmCallException(missing, 1, KeyMask.mask(credentials.current()), null);
        }
        return new Preflight(models, took);
    }

    /** What the pre-flight check found. */
    public record Preflight(List<String> models, Duration took) {
    }

    // ---- the retry loop ----

    @FunctionalInterface
    private interface Attempt<T> {
        Outcome<T> run(String credential) throws IOException, InterruptedException;
    }

    /** The result of one attempt: a value, or a diagnosis of why not. */
    private record Outcome<T>(T value, Diagnosis failure, String requestId, long startNanos) {
        static <T> Outcome<T> ok(T value, String requestId, long startNanos) {
            return new Outcome<>(value, null, requestId, startNanos);
        }

        static <T> Outcome<T> failed(Diagnosis diagnosis, long startNanos) {
            return new Outcome<>(null, diagnosis, diagnosis.requestId(), startNanos);
        }

        long elapsedMs() {
            return (System.nanoTime() - startNanos) / 1_000_000;
        }
    }

    private <T> T call(String what, Attempt<T> attempt, String requestSummary) {
        int requests = 0;
        int retries = 0;
        boolean refreshed = false;
        while (true) {
            String credential = credentials.current();
            requests++;
            log.accept("-> " + requestSummary + " attempt " + requests + " key=" + KeyMask.mask(credential));
            Outcome<T> outcome;
            IOException transportFailure = null;
            long start = System.nanoTime();
            try {
                outcome = attempt.run(credential);
            } catch (IOException e) {
                transportFailure = e;
                outcome = Outcome.failed(ErrorClassifier.transport(e), start);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LlmCallException(ErrorClassifier.transport(new IOException("interrupted")), requests,
                        KeyMask.mask(credential), e);
            }
            if (outcome.failure() == null) {
                log.accept("<- 200 " + what + " request-id=" + outcome.requestId() + " key=" + KeyMask.mask(credential)
                        + " (" + outcome.elapsedMs() + " ms)");
                count(200, null);
                return outcome.value();
            }
            Diagnosis d = outcome.failure().withMessage(KeyMask.scrub(outcome.failure().message(), credential));
            String summary = "<- " + (d.status() == 0 ? "no answer" : String.valueOf(d.status())) + " " + d.cause()
                    + (d.errorCode() != null ? " code=" + d.errorCode() : "")
                    + (d.errorType() != null ? " type=" + d.errorType() : "")
                    + " request-id=" + d.requestId() + " " + d.rateLimitHeaders()
                    + " key=" + KeyMask.mask(credential) + " \"" + d.message() + "\" (" + outcome.elapsedMs() + " ms)";
            count(d.status(), d.cause());
            if (d.tokenExpired() && !refreshed) {
                refreshed = true;
                if (credentials.refreshAfterRejection(credential)) {
                    warn.accept(summary + "; token expired: refreshed, replaying once");
                    continue;
                }
            }
            if (!d.retryable()) {
                warn.accept(summary + "; not retryable");
                throw new LlmCallException(d, requests, KeyMask.mask(credential), transportFailure);
            }
            if (retries + 1 >= maxAttempts) {
                warn.accept(summary + "; giving up after " + requests + " requests");
                throw new LlmCallException(d, requests, KeyMask.mask(credential), transportFailure);
            }
            Optional<Duration> hint = Optional.ofNullable(d.retryAfter());
            if (hint.isPresent() && hint.get().compareTo(maxRetryAfter) > 0) {
                // Waiting longer than the caller allows helps nobody: say so now, with the hint.
                warn.accept(summary + "; retry hint " + hint.get().toMillis() + " ms exceeds the limit of "
                        + maxRetryAfter.toMillis() + " ms");
                throw new LlmCallException(d, requests, KeyMask.mask(credential), transportFailure);
            }
            retries++;
            Duration wait = backoff.delayBefore(retries, hint);
            warn.accept(summary + "; retry " + retries + " of " + (maxAttempts - 1) + " in " + wait.toMillis() + " ms");
            sleep(wait, d, requests, credential);
        }
    }

    /** One answer counted: every request, and each failure by provider, status and cause; the alarm hears both. */
    private void count(int status, LlmCallException.Cause cause) {
        meters.counter("llm.client.requests", "provider", provider, "status", String.valueOf(status)).increment();
        if (cause != null) {
            meters.counter("llm.client.failures", "provider", provider, "status", String.valueOf(status),
                    "cause", cause.name()).increment();
        }
        if (alarm != null) {
            alarm.record(cause);
        }
    }

    private static void sleep(Duration wait, Diagnosis d, int requests, String credential) {
        try {
            Thread.sleep(wait.toMillis(), (int) (wait.toNanos() % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LlmCallException(d, requests, KeyMask.mask(credential), e);
        }
    }

    // ---- wire format ----

    private static byte[] bytes(ObjectNode root) {
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] requestBody(String prompt, boolean stream) {
        ObjectNode root = JSON.createObjectNode();
        root.put("model", model);
        root.putArray("messages").addObject().put("role", "user").put("content", prompt);
        if (stream) {
            root.put("stream", true);
            root.putObject("stream_options").put("include_usage", true);
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The whole answer within the request timeout. The JDK client's own timeout ends when the headers arrive: a
     * body that stalls after them would hang the call for good. Cancelling the exchange closes its connection.
     */
    private HttpResponse<String> sendWithinTimeout(HttpRequest request) throws IOException, InterruptedException {
        CompletableFuture<HttpResponse<String>> answer = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        try {
            return answer.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException stalled) {
            answer.cancel(true);
            throw new HttpTimeoutException("no whole answer within " + requestTimeout.toMillis() + " ms");
        } catch (ExecutionException failed) {
            if (failed.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(failed.getCause());
        }
    }

    private HttpRequest post(String path, String credential, byte[] body) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(requestTimeout)
                .header("Authorization", "Bearer " + credential)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    private Outcome<String> readStream(HttpResponse<Stream<String>> response, Consumer<String> onText, long start) {
        String requestId = requestId(response.headers());
        StringBuilder text = new StringBuilder();
        int frames = 0;
        boolean delivered = false;
        try (Stream<String> lines = response.body()) {
            Iterator<String> it = lines.iterator();
            while (it.hasNext()) {
                String line = it.next();
                if (!line.startsWith("data:")) {
                    continue; // blank separators, comments, event names
                }
                String data = line.substring(5).trim();
                if (data.equals("[DONE]")) {
                    return Outcome.ok(text.toString(), requestId, start);
                }
                frames++;
                JsonNode chunk = JSON.readTree(data);
                JsonNode error = chunk.get("error");
                if (error != null) {
                    Diagnosis d = ErrorClassifier.streamError(error, requestId);
                    return Outcome.failed(delivered ? d.notRetryable() : d, start);
                }
                JsonNode content = chunk.path("choices").path(0).path("delta").path("content");
                if (content.isTextual() && !content.asText().isEmpty()) {
                    text.append(content.asText());
                    onText.accept(content.asText());
                    delivered = true;
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException garbled) {
            Diagnosis d = ErrorClassifier.unreadable("a stream frame that is not JSON after " + frames + " frames", requestId);
            return Outcome.failed(delivered ? d.notRetryable() : d, start);
        } catch (UncheckedIOException cut) {
            // the lines iterator reports a broken connection this way
            IOException io = cut.getCause();
            Diagnosis d = ErrorClassifier.brokenStream("stream cut after " + frames + " frames ("
                    + io.getClass().getSimpleName() + ": " + io.getMessage() + ")", requestId);
            return Outcome.failed(delivered ? d.notRetryable() : d, start);
        }
        // A clean end without [DONE] is a truncated answer, not a short one.
        Diagnosis d = ErrorClassifier.brokenStream("stream ended after " + frames + " frames without [DONE]", requestId);
        return Outcome.failed(delivered ? d.notRetryable() : d, start);
    }

    private static Diagnosis diagnose(int status, HttpHeaders headers, String body) {
        return ErrorClassifier.diagnose(status, name -> headers.firstValue(name).orElse(null), headers.map().keySet(), body);
    }

    private static Optional<String> replyText(String body) {
        try {
            JsonNode content = JSON.readTree(body).path("choices").path(0).path("message").path("content");
            return content.isTextual() ? Optional.of(content.asText()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<List<String>> modelIds(String body) {
        try {
            JsonNode data = JSON.readTree(body).path("data");
            if (!data.isArray()) {
                return Optional.empty();
            }
            List<String> ids = new ArrayList<>();
            data.forEach(m -> ids.add(m.path("id").asText()));
            return Optional.of(List.copyOf(ids));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String requestId(HttpHeaders headers) {
        return headers.firstValue("x-request-id").or(() -> headers.firstValue("request-id")).orElse(null);
    }

    /** Configures a {@link ResilientChatClient}. Every duration can be shortened for fast tests. */
    public static final class Builder {
        private final URI baseUrl;
        private Credentials credentials;
        private String model = "gpt-4o-mini";
        private int maxAttempts = 4;
        private Duration baseDelay = Duration.ofMillis(500);
        private Duration maxDelay = Duration.ofSeconds(8);
        private Duration maxRetryAfter = Duration.ofSeconds(60);
        private Duration requestTimeout = Duration.ofSeconds(60);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private HttpClient http;
        private Consumer<String> log;
        private String provider = "openai";
        private MeterRegistry meters;
        private ErrorRateAlarm alarm;

        private Builder(URI baseUrl) {
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        }

        /** A fixed API key, sent as {@code Authorization: Bearer}. */
        public Builder apiKey(String apiKey) {
            this.credentials = Credentials.apiKey(apiKey);
            return this;
        }

        /** A credential source, for example {@link OAuthClientCredentials}. */
        public Builder credentials(Credentials credentials) {
            this.credentials = credentials;
            return this;
        }

        public Builder model(String model) {
            this.model = Objects.requireNonNull(model, "model");
            return this;
        }

        /** Requests per call at most, the first included (default 4). */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts: invalid value " + maxAttempts + ", expected an integer >= 1");
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** The first backoff (default 500 ms) and the largest (default 8 s); jitter takes up to 20 % off each. */
        public Builder backoff(Duration baseDelay, Duration maxDelay) {
            new Backoff(baseDelay, maxDelay); // validates
            this.baseDelay = baseDelay;
            this.maxDelay = maxDelay;
            return this;
        }

        /** The longest retry hint the client waits for (default 60 s); a longer one fails the call at once. */
        public Builder maxRetryAfter(Duration maxRetryAfter) {
            this.maxRetryAfter = Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
            return this;
        }

        /** How long one attempt may wait for the answer's headers (default 60 s). */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
            return this;
        }

        public Builder httpClient(HttpClient http) {
            this.http = http;
            return this;
        }

        /** The {@code provider} tag of the counters (default {@code openai}). */
        public Builder provider(String provider) {
            this.provider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /** Where the counters go (default: Micrometer's global registry). */
        public Builder meterRegistry(MeterRegistry meters) {
            this.meters = Objects.requireNonNull(meters, "meters");
            return this;
        }

        /** An alarm told of every answer (its cause, or null for a success). */
        public Builder alarm(ErrorRateAlarm alarm) {
            this.alarm = alarm;
            return this;
        }

        /** Where the sanitized log lines go instead of SLF4J (attempts at DEBUG, failures at WARN). */
        public Builder log(Consumer<String> log) {
            this.log = log;
            return this;
        }

        public ResilientChatClient build() {
            return new ResilientChatClient(this);
        }
    }
}
