package dev.llmfault.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.internal.json.Json;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The floor: a bare Javalin 7 app that does the least any fake provider must do, parse the JSON body and
 * answer our captured chat completion (or, with the bench's 429 header, our captured 429) with the same
 * status, headers and body. Whatever our server does beyond it (validation, scenarios, policies, journal,
 * rendering) shows as {@code vs_floor}. Same Javalin, same Jetty, same JVM flags as ours. A body with
 * {@code "stream": true} gets the floor of a paced stream instead (see {@link StreamFloor}).
 *
 * <pre>{@code
 * java -cp benchmarks/target/classes:$(cat benchmarks/target/runtime.classpath) dev.llmfault.bench.FloorServer 8090 answers.json
 * }</pre>
 */
public final class FloorServer {
    private FloorServer() {
    }

    record Answer(int status, Map<String, String> headers, byte[] body) {
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        JsonNode answers = Json.MAPPER.readTree(Files.readString(Path.of(args[1])));
        start(port, answer(answers.get("success")), answer(answers.get("rateLimited")));
    }

    /** The floor on 127.0.0.1:port (0: any free port), answering with these; {@code CpuProbe} runs it in-process. */
    static Javalin start(int port, Answer success, Answer limited) {
        ScheduledExecutorService timer = StreamFloor.timer();
        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.http.compressionStrategy = CompressionStrategy.NONE;
            // The accept queue ours has (Java's default of 50 drops the SYNs of 2,000 streams opened at once)
            config.jetty.addConnector((server, http) -> {
                ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
                connector.setHost("127.0.0.1");
                connector.setPort(port);
                connector.setAcceptQueueSize(4096);
                return connector;
            });
            config.routes.get("/__admin/health", ctx -> ctx.contentType("application/json").result("{\"status\":\"ok\"}"));
            config.routes.post(Stubs.PATH, ctx -> {
                JsonNode body = Json.MAPPER.readTree(ctx.bodyAsBytes());
                if (body == null || !body.hasNonNull("model")) {
                    ctx.status(400).result("{\"error\":\"bad body\"}");
                    return;
                }
                if (body.path("stream").asBoolean()) {
                    StreamFloor.stream(ctx, timer);
                    return;
                }
                Answer a = Stubs.FAULT_VALUE.equals(ctx.header(Stubs.FAULT_HEADER)) ? limited : success;
                ctx.status(a.status());
                a.headers().forEach(ctx::header);
                ctx.result(a.body());
            });
        }).start(); // on the connector above
    }

    private static Answer answer(JsonNode n) {
        Map<String, String> headers = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = n.get("headers").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> h = it.next();
            headers.put(h.getKey(), h.getValue().asText());
        }
        return new Answer(n.get("status").asInt(), headers, n.get("body").asText().getBytes(StandardCharsets.UTF_8));
    }
}
