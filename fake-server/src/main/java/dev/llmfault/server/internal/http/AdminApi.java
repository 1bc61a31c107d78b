package dev.llmfault.server.internal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.JournalQuery;
import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.dialect.Dialect;
import dev.llmfault.server.internal.dialect.Dialects;
import dev.llmfault.server.Scenario;
import dev.llmfault.server.internal.config.InputException;
import dev.llmfault.server.internal.config.ScenarioCodec;
import dev.llmfault.server.internal.journal.JournalCodec;
import dev.llmfault.server.internal.json.Json;
import dev.llmfault.server.internal.observe.ServerMetrics;
import dev.llmfault.server.internal.ui.Dashboard;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The admin API under {@code /__admin}: health, scenarios, reply rules, the journal and reset. Every change is all or
 * nothing; bad input gets a 400 naming the field and the allowed values.
 */
final class AdminApi {
    static final String PREFIX = "/__admin";
    private static final Set<String> REQUEST_FILTERS = Set.of("provider", "path", "status", "fault", "apiKey",
            "apiKeyFingerprint", "model", "scenarioId", "replyId", "alias", "limit");

    private final ServerRuntime runtime;
    private final AdminPolicyRoutes policies;
    private final AdminReplyRoutes replies;
    private final Dashboard dashboard = new Dashboard();

    AdminApi(ServerRuntime runtime) {
        this.runtime = runtime;
        this.policies = new AdminPolicyRoutes(runtime);
        this.replies = new AdminReplyRoutes(runtime.replies());
    }

    void register(RoutesConfig routes) {
        routes.before(PREFIX + "*", this::authorize);
        routes.get(PREFIX + "/health", this::health);
        routes.post(PREFIX + "/scenarios", this::addScenarios);
        routes.get(PREFIX + "/scenarios", this::listScenarios);
        routes.delete(PREFIX + "/scenarios", ctx -> {
            int n = runtime.engine().list().size();
            runtime.engine().clear();
            send(ctx, 200, Json.object().put("removed", n));
        });
        routes.get(PREFIX + "/scenarios/{id}", this::getScenario);
        routes.delete(PREFIX + "/scenarios/{id}", ctx -> {
            String id = ctx.pathParam("id");
            if (runtime.engine().remove(id)) {
                send(ctx, 200, Json.object().put("removed", 1));
            } else {
                notFound(ctx, "no scenario with id '" + id + "'");
            }
        });
        routes.get(PREFIX + "/requests", this::requests);
        routes.delete(PREFIX + "/requests", ctx -> {
            runtime.journal().clear();
            send(ctx, 200, Json.object().put("cleared", true));
        });
        routes.get(PREFIX + "/stats", ctx -> send(ctx, 200, runtime.journal().stats().toJson()));
        routes.get(PREFIX + "/metrics", this::metrics);
        routes.get(Dashboard.PAGE, dashboard::page);
        routes.get(Dashboard.SCRIPT, dashboard::script);
        routes.get(Dashboard.TIMELINE, this::timeline);
        policies.register(routes);
        replies.register(routes);
        routes.post(PREFIX + "/reset", ctx -> {
            runtime.reset();
            send(ctx, 200, Json.object().put("reset", true));
        });
    }

    /** Admin endpoints that do not exist, or exist for another method. */
    void unknown(Context ctx) {
        send(ctx, 404, error("no admin endpoint " + ctx.method() + " " + ctx.path() + "; endpoints: "
                + "GET /__admin/health, GET|POST|DELETE /__admin/scenarios, GET|DELETE /__admin/scenarios/{id}, "
                + "GET|POST|DELETE /__admin/replies, GET|DELETE /__admin/replies/{id}, GET|DELETE /__admin/requests, GET /__admin/stats, GET /__admin/timeline.svg, GET /__admin/ui, GET|DELETE /__admin/policies, "
                + "GET|PUT|DELETE /__admin/policies/{credentials|rateLimits|network|versions}, "
                + "POST /__admin/policies/credentials/revocations, POST /__admin/reset", null));
    }

    /** Prometheus text (or OpenMetrics, as the Accept header asks); 404 while metrics are off (an embedded server). */
    private void metrics(Context ctx) {
        ServerMetrics metrics = runtime.metrics();
        if (metrics == null) {
            send(ctx, 404, error("metrics are off: the standalone server serves them (java -jar llmfault-server.jar)", null));
            return;
        }
        String accept = ctx.header("Accept");
        ctx.status(200).contentType(ServerMetrics.contentType(accept)).result(metrics.scrape(accept));
    }

    private void authorize(Context ctx) {
        String token = runtime.settings().adminToken();
        if (token == null || Dashboard.PUBLIC_PATHS.contains(ctx.path())) {
            return;
        }
        String auth = ctx.header("Authorization");
        String given = auth != null && auth.startsWith("Bearer ") ? auth.substring(7).trim() : ctx.header("X-Admin-Token");
        if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8))) {
            send(ctx, 401, error("the admin API requires 'Authorization: Bearer <admin token>' (see --admin-token)", null));
            ctx.skipRemainingHandlers();
        }
    }

    private void health(Context ctx) {
        ObjectNode n = Json.object();
        n.put("status", "UP");
        n.put("version", ServerRuntime.VERSION);
        n.put("uptimeMs", runtime.uptimeMillis());
        ArrayNode providers = n.putArray("providers");
        ObjectNode baseUrls = n.putObject("baseUrls");
        for (Dialect d : Dialects.get().all()) {
            Provider p = d.provider();
            providers.add(p.name());
            baseUrls.put(p.name(), runtime.baseUrl(p).toString());
        }
        ObjectNode aliases = n.putObject("aliases"); // OpenAI-compatible vendors under their own base paths
        runtime.settings().aliases().keySet().forEach(name -> aliases.put(name, runtime.baseUrl(name).toString()));
        n.put("scenarios", runtime.engine().list().size());
        n.put("replies", runtime.replies().list().size());
        n.put("requests", runtime.journal().recordedCount());
        n.put("answersWaiting", runtime.answersWaiting()); // delayed answers held on the timer, no thread each
        send(ctx, 200, n);
    }

    private void addScenarios(Context ctx) {
        add(ctx, ScenarioCodec::read, list -> runtime.engine().addAll(list).stream().map(Scenario::id).toList());
    }

    /**
     * Adds one item (201 {"id"}) or a list of them, all or none (201 {"ids"}); bad input is a 400 naming the field,
     * as {@code [2].match.model} inside a list.
     */
    static <T> void add(Context ctx, java.util.function.Function<JsonNode, T> read,
                        java.util.function.Function<List<T>, List<String>> addAll) {
        JsonNode body = parse(ctx);
        if (body == null) {
            return;
        }
        try {
            if (body.isArray()) {
                List<T> parsed = new ArrayList<>();
                for (int i = 0; i < body.size(); i++) {
                    try {
                        parsed.add(read.apply(body.get(i)));
                    } catch (InputException e) {
                        throw e.within("[" + i + "]");
                    }
                }
                ArrayNode ids = Json.MAPPER.createArrayNode();
                addAll.apply(parsed).forEach(ids::add);
                send(ctx, 201, Json.object().set("ids", ids));
            } else {
                send(ctx, 201, Json.object().put("id", addAll.apply(List.of(read.apply(body))).get(0)));
            }
        } catch (InputException e) {
            send(ctx, 400, error(e.getMessage(), e.field()));
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            send(ctx, 400, error(m, m.contains(":") ? m.substring(0, m.indexOf(':')) : null));
        }
    }

    private void listScenarios(Context ctx) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        runtime.engine().list().forEach(s -> list.add(withCounters(s)));
        send(ctx, 200, Json.object().set("scenarios", list));
    }

    private void getScenario(Context ctx) {
        String id = ctx.pathParam("id");
        runtime.engine().find(id).ifPresentOrElse(s -> send(ctx, 200, withCounters(s)),
                () -> notFound(ctx, "no scenario with id '" + id + "'"));
    }

    private ObjectNode withCounters(Scenario s) {
        ObjectNode n = ScenarioCodec.write(s);
        n.put("matched", runtime.engine().matchedCount(s.id()));
        n.put("fired", runtime.engine().firedCount(s.id()));
        return n;
    }

    private void requests(Context ctx) {
        JournalQuery query = JournalQuery.all();
        int limit = Integer.MAX_VALUE;
        try {
            for (String name : ctx.queryParamMap().keySet()) {
                if (!REQUEST_FILTERS.contains(name)) {
                    throw new InputException(name, name + ": unknown filter, allowed: " + REQUEST_FILTERS.stream().sorted().toList());
                }
                String v = ctx.queryParam(name);
                query = switch (name) {
                    case "provider" -> query.provider(enumValue(name, v, Provider::parse));
                    case "fault" -> query.fault(enumValue(name, v, Fault::parse));
                    case "status" -> query.status(intValue(name, v, 0, 599));
                    case "path" -> query.path(v);
                    case "apiKey" -> query.apiKey(v);
                    case "apiKeyFingerprint" -> query.apiKeyFingerprint(v);
                    case "model" -> query.model(v);
                    case "scenarioId" -> query.scenarioId(v);
                    case "replyId" -> query.replyId(v);
                    case "alias" -> query.alias(v);
                    default -> query;
                };
                if (name.equals("limit")) {
                    limit = intValue(name, v, 1, Integer.MAX_VALUE);
                }
            }
        } catch (InputException e) {
            send(ctx, 400, error(e.getMessage(), e.field()));
            return;
        }
        List<JournalEntry> found = runtime.journal().find(query);
        dev.llmfault.server.internal.journal.JsonBytes out = JournalCodec.answer(found, limit, runtime.journal().recordedCount());
        // Written in one piece with its length, not copied again and streamed chunked through ctx.result:
        // a keyed query of a shared server answers ~100 KB, and copies and chunks are most of what it costs.
        ctx.status(200);
        ctx.contentType("application/json");
        ctx.res().setContentLength(out.size());
        try {
            out.writeTo(ctx.res().getOutputStream()); // a blocking write: done with the array when it returns
        } catch (java.io.IOException clientGone) {
            // the client left: nothing to answer
        } finally {
            out.release();
        }
    }

    /** The last minute of traffic (or {@code ?windowMs=}) drawn as the report draws a test. */
    private void timeline(Context ctx) {
        long window = 60_000;
        try {
            for (String name : ctx.queryParamMap().keySet()) {
                if (!name.equals("windowMs")) {
                    throw new InputException(name, name + ": unknown parameter, allowed: [windowMs]");
                }
                window = intValue("windowMs", ctx.queryParam(name), 1, Dashboard.MAX_WINDOW_MS);
            }
        } catch (InputException e) {
            send(ctx, 400, error(e.getMessage(), e.field()));
            return;
        }
        ctx.header("Cache-Control", "no-store");
        ctx.contentType("image/svg+xml; charset=utf-8").result(Dashboard.timeline(runtime.journal()::entries, window));
    }

    private static <E> E enumValue(String field, String v, java.util.function.Function<String, E> parse) {
        try {
            return parse.apply(v);
        } catch (IllegalArgumentException e) {
            throw new InputException(field, field + ": " + e.getMessage());
        }
    }

    private static int intValue(String field, String v, int min, int max) {
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // named below
        }
        throw new InputException(field, field + ": invalid value '" + v + "', expected an integer from " + min + " to " + max);
    }

    /** The JSON body, or null after answering 400 when it is not JSON. */
    static JsonNode parse(Context ctx) {
        try {
            JsonNode node = Json.MAPPER.readTree(ctx.bodyAsBytes());
            if (node == null || node.isMissingNode()) {
                send(ctx, 400, error("the body is empty: send a scenario as a JSON object", null));
                return null;
            }
            return node;
        } catch (JsonProcessingException e) {
            send(ctx, 400, error("the body is not valid JSON: " + e.getOriginalMessage(), null));
            return null;
        } catch (java.io.IOException e) {
            send(ctx, 400, error("the body could not be read: " + e.getMessage(), null));
            return null;
        }
    }

    private static void notFound(Context ctx, String message) {
        send(ctx, 404, error(message, null));
    }

    static ObjectNode error(String message, String field) {
        ObjectNode n = Json.object();
        ObjectNode e = n.putObject("error");
        e.put("message", message);
        if (field != null) e.put("field", field);
        return n;
    }

    static void send(Context ctx, int status, JsonNode body) {
        ctx.status(status);
        ctx.contentType("application/json");
        ctx.result(Json.bytes(body));
    }
}
