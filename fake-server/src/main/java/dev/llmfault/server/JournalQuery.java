package dev.llmfault.server;

import dev.llmfault.server.internal.journal.Secrets;
import org.apiguardian.api.API;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * A filter on the request journal. Immutable; each method returns a narrower copy. A query by API key,
 * scenario id, provider, fault or status is answered from the journal's index of that key, so it costs what
 * that key's entries cost, however large the journal of a shared server has grown.
 *
 * <pre>{@code
 * List<JournalEntry> throttled = server.journal().find(
 *         JournalQuery.all().provider(Provider.OPENAI).status(429));
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class JournalQuery implements Predicate<JournalEntry> {
    private static final JournalQuery ALL = new JournalQuery(null, null, null, null, null, null, null, null, null);

    private final Provider provider;
    private final String path;
    private final Integer status;
    private final Fault fault;
    private final String apiKeyFingerprint;
    private final String model;
    private final String scenarioId;
    private final String replyId;
    private final String alias;

    private JournalQuery(Provider provider, String path, Integer status, Fault fault, String apiKeyFingerprint,
                         String model, String scenarioId, String replyId, String alias) {
        this.provider = provider;
        this.path = path;
        this.status = status;
        this.fault = fault;
        this.apiKeyFingerprint = apiKeyFingerprint;
        this.model = model;
        this.scenarioId = scenarioId;
        this.replyId = replyId;
        this.alias = alias;
    }

    /** Matches every entry. */
    public static JournalQuery all() {
        return ALL;
    }

    public JournalQuery provider(Provider provider) {
        return new JournalQuery(provider, path, status, fault, apiKeyFingerprint, model, scenarioId, replyId, alias);
    }

    public JournalQuery path(String path) {
        return new JournalQuery(provider, path, status, fault, apiKeyFingerprint, model, scenarioId, replyId, alias);
    }

    public JournalQuery status(int status) {
        return new JournalQuery(provider, path, status, fault, apiKeyFingerprint, model, scenarioId, replyId, alias);
    }

    public JournalQuery fault(Fault fault) {
        return new JournalQuery(provider, path, status, fault, apiKeyFingerprint, model, scenarioId, replyId, alias);
    }

    /**
     * Entries sent with this API key or token (compared by fingerprint; the key is not kept), and the entries that
     * count for it as the owner of an OAuth token ({@link JournalEntry#keyScope()}): the token requests that sent it
     * as client secret and the requests bearing the tokens they obtained.
     * <pre>{@code server.journal().find(JournalQuery.all().apiKey(apiKey))   // also its token requests and token calls}</pre>
     */
    public JournalQuery apiKey(String apiKey) {
        return apiKeyFingerprint(Secrets.fingerprint(apiKey));
    }

    /**
     * Entries whose credential has this SHA-256 fingerprint, or whose OAuth token was issued to the client secret
     * of this fingerprint ({@link JournalEntry#tokenOwnerFingerprint()}).
     */
    public JournalQuery apiKeyFingerprint(String fingerprint) {
        return new JournalQuery(provider, path, status, fault, fingerprint, model, scenarioId, replyId, alias);
    }

    public JournalQuery model(String model) {
        return new JournalQuery(provider, path, status, fault, apiKeyFingerprint, model, scenarioId, replyId, alias);
    }

    public JournalQuery scenarioId(String scenarioId) {
        return new JournalQuery(provider, path, status, fault, apiKeyFingerprint, model, scenarioId, replyId, alias);
    }

    /** Entries the reply rule of this id answered ({@code r-1}): the calls a scripted reply reached. */
    public JournalQuery replyId(String replyId) {
        return new JournalQuery(provider, path, status, fault, apiKeyFingerprint, model, scenarioId, replyId, alias);
    }

    /**
     * Entries sent to this OpenAI-compatible vendor's base path ({@code --alias mistral=/mistral/v1}).
     * <pre>{@code server.journal().find(JournalQuery.all().alias("mistral"))}</pre>
     */
    public JournalQuery alias(String alias) {
        return new JournalQuery(provider, path, status, fault, apiKeyFingerprint, model, scenarioId, replyId, alias);
    }

    /** The alias this query asks for, or null when any entry (aliased or not) matches. */
    public String alias() {
        return alias;
    }

    /** The provider this query asks for, or null when any matches. */
    public Provider provider() {
        return provider;
    }

    /** The path this query asks for, or null when any matches. */
    public String path() {
        return path;
    }

    /** The status this query asks for, or null when any matches. */
    public Integer status() {
        return status;
    }

    /** The fault this query asks for, or null when any answer matches. */
    public Fault fault() {
        return fault;
    }

    /** The credential fingerprint this query asks for, or null when any matches. */
    public String apiKeyFingerprint() {
        return apiKeyFingerprint;
    }

    /** The model this query asks for, or null when any matches. */
    public String model() {
        return model;
    }

    /** The scenario id this query asks for, or null when any matches. */
    public String scenarioId() {
        return scenarioId;
    }

    /** The reply rule id this query asks for, or null when any matches. */
    public String replyId() {
        return replyId;
    }

    /** True when this query filters nothing. */
    public boolean matchesAll() {
        return provider == null && path == null && status == null && fault == null && apiKeyFingerprint == null
                && model == null && scenarioId == null && replyId == null && alias == null;
    }

    @Override
    public boolean test(JournalEntry e) {
        return (provider == null || provider == e.provider())
                && (path == null || path.equals(e.path()))
                && (status == null || status == e.status())
                && (fault == null || fault == e.fault())
                && (apiKeyFingerprint == null || apiKeyFingerprint.equals(e.apiKeyFingerprint())
                    || apiKeyFingerprint.equals(e.tokenOwnerFingerprint()))
                && (model == null || model.equals(e.model()))
                && (scenarioId == null || Objects.equals(scenarioId, e.scenarioId()))
                && (replyId == null || Objects.equals(replyId, e.replyId()))
                && (alias == null || alias.equals(e.alias()));
    }
}
