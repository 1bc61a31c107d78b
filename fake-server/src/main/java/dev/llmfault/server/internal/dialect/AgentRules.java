package dev.llmfault.server.internal.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.Fault;
import dev.llmfault.server.internal.catalogue.Placeholder;
import dev.llmfault.server.internal.catalogue.Vars;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static dev.llmfault.server.internal.dialect.ConversationBuilder.each;
import static dev.llmfault.server.internal.dialect.ConversationBuilder.string;

/**
 * The agent rules the providers enforce on a conversation, each in the provider's own shape and words (the
 * catalogue rows named below): a tool result must answer a call the conversation holds, every call must be
 * answered in the next turn, roles must alternate where the provider demands it. A dialect's
 * {@code checkBody} calls its provider's rule after the field checks: one validation point.
 *
 * <pre>{@code
 * Rejection r = BodyRules.chat(body);
 * if (r == null) r = AgentRules.openAiChat(body);   // tool_call_unanswered / tool_result_orphan
 * }</pre>
 *
 * <p>Variants (MALFORMED_BODY): {@value #UNANSWERED}, {@value #ORPHAN}, {@value #ROLES}, {@value #FIRST_USER},
 * {@value #CALL_TURN}, {@value #NO_TOOL_OUTPUT}, {@value #NO_TOOL_CALL}.
 */
final class AgentRules {
    /** A tool call the next turn does not answer. */
    static final String UNANSWERED = "tool_call_unanswered";
    /** A tool result that answers no call of the turn before. */
    static final String ORPHAN = "tool_result_orphan";
    /** Two turns of the same role in a row (Bedrock). */
    static final String ROLES = "roles_alternate";
    /** A conversation that does not start with the user (Bedrock). */
    static final String FIRST_USER = "first_user";
    /** A function-call turn that does not follow a user turn (Gemini). */
    static final String CALL_TURN = "function_call_turn";
    /** The Responses API's words for an unanswered call and for an output of no call. */
    static final String NO_TOOL_OUTPUT = "no_tool_output";
    static final String NO_TOOL_CALL = "no_tool_call";

    private AgentRules() {
    }

    /**
     * OpenAI chat completions (and Azure): the tool messages answering an assistant's {@code tool_calls} must
     * follow it before any other message; a tool message must answer one of them. {@code param} is
     * {@code messages.[i].role} of the message at fault, or {@code messages} when the conversation ends first.
     */
    static Rejection openAiChat(JsonNode body) {
        Set<String> open = new LinkedHashSet<>();
        JsonNode messages = body.get("messages");
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String role = string(m, "role");
            if ("tool".equals(role)) {
                if (!open.remove(string(m, "tool_call_id"))) {
                    return reject(ORPHAN, "messages.[" + i + "].role", string(m, "tool_call_id"));
                }
                continue;
            }
            if (!open.isEmpty()) {
                return reject(UNANSWERED, "messages.[" + i + "].role", String.join(", ", open));
            }
            if ("assistant".equals(role)) {
                for (JsonNode call : each(m.get("tool_calls"))) {
                    open.add(string(call, "id"));
                }
            }
        }
        return open.isEmpty() ? null : reject(UNANSWERED, "messages", String.join(", ", open));
    }

    /**
     * The Responses API: every {@code function_call_output} must come after the {@code function_call} of its
     * {@code call_id}, and every call must have its output in the same input.
     */
    static Rejection responses(JsonNode body) {
        JsonNode input = body.get("input");
        Set<String> calls = new LinkedHashSet<>();
        Set<String> answered = new LinkedHashSet<>();
        for (JsonNode item : each(input)) {
            String type = string(item, "type");
            if ("function_call".equals(type)) {
                calls.add(string(item, "call_id"));
            } else if ("function_call_output".equals(type)) {
                String id = string(item, "call_id");
                if (!calls.contains(id)) {
                    return reject(NO_TOOL_CALL, "input", id);
                }
                answered.add(id);
            }
        }
        calls.removeAll(answered);
        return calls.isEmpty() ? null : reject(NO_TOOL_OUTPUT, "input", calls.iterator().next());
    }

    /**
     * Anthropic (and Bedrock's invoke of Claude): the {@code tool_result} blocks of a user message must answer
     * {@code tool_use} blocks of the assistant message just before it, and every {@code tool_use} must be
     * answered in the next message. Consecutive messages of one role are accepted: the API joins them.
     */
    static Rejection anthropic(JsonNode body) {
        JsonNode messages = body.get("messages");
        Set<String> previous = Set.of();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            boolean assistant = "assistant".equals(string(m, "role"));
            Set<String> uses = new LinkedHashSet<>();
            Set<String> results = new LinkedHashSet<>();
            JsonNode content = m.get("content");
            for (int b = 0; content != null && content.isArray() && b < content.size(); b++) {
                JsonNode block = content.get(b);
                String type = string(block, "type");
                if (assistant && "tool_use".equals(type)) {
                    uses.add(string(block, "id"));
                } else if (!assistant && "tool_result".equals(type)) {
                    String id = string(block, "tool_use_id");
                    if (!previous.contains(id)) {
                        return reject(ORPHAN, "messages." + i + ".content." + b, id);
                    }
                    results.add(id);
                }
            }
            if (!previous.isEmpty()) {
                Set<String> missing = new LinkedHashSet<>(previous);
                missing.removeAll(results);
                if (!missing.isEmpty()) {
                    return reject(UNANSWERED, "messages." + (i - 1), String.join(", ", missing));
                }
            }
            previous = uses;
        }
        return previous.isEmpty() ? null
                : reject(UNANSWERED, "messages." + (messages.size() - 1), String.join(", ", previous));
    }

    /**
     * Bedrock Converse: the conversation starts with the user, roles alternate, the next message answers
     * every {@code toolUse} of an assistant message with a {@code toolResult}, and holds no more results than
     * the previous turn had calls.
     */
    static Rejection bedrock(JsonNode body) {
        JsonNode messages = body.get("messages");
        Set<String> previous = Set.of();
        String lastRole = null;
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String role = string(m, "role");
            if (i == 0 && !"user".equals(role)) {
                return reject(FIRST_USER, "messages.0.role", role);
            }
            if (role != null && role.equals(lastRole)) {
                return reject(ROLES, "messages." + i + ".role", role);
            }
            lastRole = role;
            List<String> uses = new ArrayList<>();
            List<String> results = new ArrayList<>();
            for (JsonNode block : each(m.get("content"))) {
                if (block.path("toolUse").isObject()) {
                    uses.add(string(block.get("toolUse"), "toolUseId"));
                } else if (block.path("toolResult").isObject()) {
                    results.add(string(block.get("toolResult"), "toolUseId"));
                }
            }
            if (results.size() > previous.size()) {
                return reject(ORPHAN, "messages." + i + ".content", String.join(", ", results));
            }
            Set<String> missing = new LinkedHashSet<>(previous);
            results.forEach(missing::remove);
            if (!missing.isEmpty()) {
                return reject(UNANSWERED, "messages." + i + ".content", String.join(", ", missing));
            }
            previous = new LinkedHashSet<>(uses);
        }
        return null;
    }

    /**
     * Gemini: a model turn with function calls must come right after a user turn (a question or function
     * responses), and the turn after it must hold as many function responses as it made calls.
     */
    static Rejection gemini(JsonNode body) {
        JsonNode contents = body.get("contents");
        for (int i = 0; i < contents.size(); i++) {
            JsonNode c = contents.get(i);
            int calls = count(c, "functionCall");
            if (calls == 0 || !"model".equals(string(c, "role"))) {
                continue;
            }
            if (i == 0 || "model".equals(string(contents.get(i - 1), "role"))) {
                return reject(CALL_TURN, "contents[" + i + "]", Integer.toString(calls));
            }
            if (i + 1 < contents.size() && count(contents.get(i + 1), "functionResponse") != calls) {
                return reject(UNANSWERED, "contents[" + (i + 1) + "]", Integer.toString(calls));
            }
        }
        return null;
    }

    private static int count(JsonNode content, String part) {
        int n = 0;
        for (JsonNode p : each(content.get("parts"))) {
            if (p.path(part).isObject()) {
                n++;
            }
        }
        return n;
    }

    private static Rejection reject(String variant, String field, String detail) {
        return Rejection.of(Fault.MALFORMED_BODY, variant,
                new Vars().put(Placeholder.FIELD, field).put(Placeholder.DETAIL, detail == null ? "null" : detail),
                "validation: " + variant.replace('_', ' ') + " at " + field + ": " + detail);
    }
}
