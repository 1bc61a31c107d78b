package dev.llmfault.server;

import org.apiguardian.api.API;
import java.util.List;
import java.util.Optional;

/**
 * The reply rules of a server, in the order they are tried: highest priority first, and among the same
 * priority the newest first (see {@link ReplyRule}). Thread-safe; change them while the server runs.
 *
 * <pre>{@code
 * ReplyRule weather = server.replies().add(ReplyRule.builder()
 *         .matchLastUserMessage("weather")
 *         .reply(Reply.toolCall("get_weather", Map.of("city", "Paris")))
 *         .build());                                            // weather.id() is "r-1"
 * ... run the agent ...
 * assertThat(server.replies().answeredCount(weather.id())).isEqualTo(1);
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface Replies {

    /** Activates a rule and returns it with its id (generated, {@code r-1}, unless the rule has one). */
    ReplyRule add(ReplyRule rule);

    /** The active rules, in the order they are tried. */
    List<ReplyRule> list();

    Optional<ReplyRule> find(String id);

    /** How many requests the rule answered so far. */
    long answeredCount(String id);

    /** Removes one rule; false when there is none with that id. */
    boolean remove(String id);

    /** Removes every rule; unmatched requests get the default reply. */
    void clear();
}
