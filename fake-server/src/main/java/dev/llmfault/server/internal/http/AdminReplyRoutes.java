package dev.llmfault.server.internal.http;

import dev.llmfault.server.ReplyRule;
import dev.llmfault.server.internal.config.ReplyCodec;
import dev.llmfault.server.internal.json.Json;
import dev.llmfault.server.internal.reply.ReplyEngine;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The reply rules under {@code /__admin/replies}, shaped like the scenarios' routes:
 * {@code POST} one rule (201 {@code {"id":"r-1"}}) or a list (all or none, 201 {@code {"ids":[...]}}),
 * {@code GET} the rules in the order they are tried, each with how many requests it {@code answered},
 * {@code DELETE} one or all. {@code POST /__admin/reset} brings back the configured rules.
 *
 * <pre>{@code
 * curl -X POST localhost:8089/__admin/replies -d '{"match":{"turn":1},"toolCalls":[{"name":"get_weather","arguments":{"city":"Paris"}}]}'
 * }</pre>
 */
final class AdminReplyRoutes {
    private static final String PATH = AdminApi.PREFIX + "/replies";

    private final ReplyEngine replies;

    AdminReplyRoutes(ReplyEngine replies) {
        this.replies = replies;
    }

    void register(RoutesConfig routes) {
        routes.post(PATH, ctx -> AdminApi.add(ctx, ReplyCodec::read,
                list -> replies.addAll(list).stream().map(ReplyRule::id).toList()));
        routes.get(PATH, ctx -> {
            ArrayNode list = Json.MAPPER.createArrayNode();
            replies.list().forEach(r -> list.add(withCounter(r)));
            AdminApi.send(ctx, 200, Json.object().set("replies", list));
        });
        routes.delete(PATH, ctx -> {
            int n = replies.list().size();
            replies.clear();
            AdminApi.send(ctx, 200, Json.object().put("removed", n));
        });
        routes.get(PATH + "/{id}", ctx -> {
            String id = ctx.pathParam("id");
            replies.find(id).ifPresentOrElse(r -> AdminApi.send(ctx, 200, withCounter(r)), () -> notFound(ctx, id));
        });
        routes.delete(PATH + "/{id}", ctx -> {
            String id = ctx.pathParam("id");
            if (replies.remove(id)) {
                AdminApi.send(ctx, 200, Json.object().put("removed", 1));
            } else {
                notFound(ctx, id);
            }
        });
    }

    private ObjectNode withCounter(ReplyRule r) {
        return ReplyCodec.write(r).put("answered", replies.answeredCount(r.id()));
    }

    private static void notFound(Context ctx, String id) {
        AdminApi.send(ctx, 404, AdminApi.error("no reply rule with id '" + id + "'", null));
    }
}
