package dev.llmfault.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * OAuth2 bearer tokens from a token endpoint (RFC 6749): the {@code client_credentials} grant for the
 * first token, the {@code refresh_token} grant when the endpoint gave a refresh token (falling back to
 * {@code client_credentials} when the refresh is refused). A token is renewed {@code refreshSkew} before
 * its {@code expires_in} runs out, and once more when the API answers 401 "expired" anyway (clock skew,
 * revocation). Thread-safe: concurrent callers share one renewal.
 *
 * <pre>{@code
 * Credentials tokens = OAuthClientCredentials.builder(URI.create(server + "/oauth/token"), "client-1", secret)
 *         .scope("model.request")
 *         .refreshSkew(Duration.ofSeconds(30))
 *         .build();
 * ResilientChatClient client = ResilientChatClient.builder(baseUrl).credentials(tokens).build();
 * }</pre>
 */
public final class OAuthClientCredentials implements Credentials {
    /** How the client authenticates at the token endpoint (RFC 6749 section 2.3.1). */
    public enum ClientAuthentication {
        /** {@code Authorization: Basic base64(id:secret)}, which every server must support. */
        BASIC,
        /** {@code client_id} and {@code client_secret} as form fields. */
        FORM
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI tokenEndpoint;
    private final String clientId;
    private final String clientSecret;
    private final String scope;
    private final Duration refreshSkew;
    private final ClientAuthentication clientAuthentication;
    private final HttpClient http;
    private final Clock clock;
    private final Duration timeout;

    private String accessToken;
    private String refreshToken;
    private Instant expiresAt = Instant.MIN;
    private int tokensObtained;

    private OAuthClientCredentials(Builder b) {
        this.tokenEndpoint = b.tokenEndpoint;
        this.clientId = b.clientId;
        this.clientSecret = b.clientSecret;
        this.scope = b.scope;
        this.refreshSkew = b.refreshSkew;
        this.clientAuthentication = b.clientAuthentication;
        this.http = b.http != null ? b.http : HttpClient.newBuilder().connectTimeout(b.timeout).build();
        this.clock = b.clock;
        this.timeout = b.timeout;
    }

    public static Builder builder(URI tokenEndpoint, String clientId, String clientSecret) {
        return new Builder(tokenEndpoint, clientId, clientSecret);
    }

    @Override
    public synchronized String current() {
        if (accessToken == null || !clock.instant().isBefore(expiresAt.minus(refreshSkew))) {
            renew();
        }
        return accessToken;
    }

    @Override
    public synchronized boolean refreshAfterRejection(String rejected) {
        if (accessToken != null && !accessToken.equals(rejected)) {
            return true; // another caller renewed it since `rejected` was sent
        }
        renew();
        return !accessToken.equals(rejected);
    }

    /** How many tokens the endpoint issued to this source so far. */
    public synchronized int tokensObtained() {
        return tokensObtained;
    }

    private void renew() {
        if (refreshToken != null) {
            try {
                obtain(Map.of("grant_type", "refresh_token", "refresh_token", refreshToken));
                return;
            } catch (LlmCallException refused) {
                refreshToken = null; // a refresh token can be expired or revoked too: start over
            }
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        if (scope != null) {
            form.put("scope", scope);
        }
        obtain(form);
    }

    private void obtain(Map<String, String> grant) {
        Map<String, String> form = new LinkedHashMap<>(grant);
        HttpRequest.Builder request = HttpRequest.newBuilder(tokenEndpoint)
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json");
        if (clientAuthentication == ClientAuthentication.BASIC) {
            String pair = urlEncode(clientId) + ":" + urlEncode(clientSecret);
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        } else {
            form.put("client_id", clientId);
            form.put("client_secret", clientSecret);
        }
        String body = form.entrySet().stream().map(e -> urlEncode(e.getKey()) + "=" + urlEncode(e.getValue()))
                .collect(Collectors.joining("&"));
        Instant sentAt = clock.instant();
        HttpResponse<String> response;
        try {
            response = http.send(request.POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw failure(ErrorClassifier.transport(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(ErrorClassifier.transport(new IOException("interrupted while fetching a token")), e);
        }
        JsonNode json = parse(response.body());
        String token = json == null ? null : text(json, "access_token");
        if (response.statusCode() != 200 || token == null) {
            throw failure(tokenRefused(response, json), null);
        }
        accessToken = token;
        JsonNode expiresIn = json.get("expires_in");
        // expires_in is seconds; a missing value means "unknown": renew only when the API refuses the token.
        expiresAt = expiresIn == null || !expiresIn.isNumber() ? Instant.MAX
                : sentAt.plusNanos((long) (expiresIn.asDouble() * 1_000_000_000L));
        String newRefresh = text(json, "refresh_token");
        if (newRefresh != null) {
            refreshToken = newRefresh;
        }
        tokensObtained++;
    }

    private Diagnosis tokenRefused(HttpResponse<String> response, JsonNode json) {
        String error = json == null ? null : text(json, "error");
        String description = json == null ? null : text(json, "error_description");
        String message = "token endpoint refused the " + clientId + " client: "
                + (description != null ? description : error != null ? error : "HTTP " + response.statusCode());
        boolean transientFailure = response.statusCode() >= 500 || response.statusCode() == 429;
        return new Diagnosis(transientFailure ? LlmCallException.Cause.TRANSIENT : LlmCallException.Cause.INVALID_OR_EXPIRED_TOKEN,
                transientFailure, false, response.statusCode(), "oauth", error, message,
                response.headers().firstValue("x-request-id").orElse(null), Map.of(), null);
    }

    private LlmCallException failure(Diagnosis d, Throwable cause) {
        Diagnosis scrubbed = d.withMessage(KeyMask.scrub(d.message(), clientSecret, accessToken, refreshToken));
        return new LlmCallException(scrubbed, 1, KeyMask.mask(clientSecret), cause);
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (IOException notJson) {
            return null;
        }
    }

    private static String text(JsonNode json, String field) {
        JsonNode n = json.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    private static String urlEncode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "OAuthClientCredentials{" + tokenEndpoint + ", client " + clientId + "}";
    }

    /** Configures an {@link OAuthClientCredentials}. */
    public static final class Builder {
        private final URI tokenEndpoint;
        private final String clientId;
        private final String clientSecret;
        private String scope;
        private Duration refreshSkew = Duration.ofSeconds(30);
        private ClientAuthentication clientAuthentication = ClientAuthentication.BASIC;
        private HttpClient http;
        private Clock clock = Clock.systemUTC();
        private Duration timeout = Duration.ofSeconds(10);

        private Builder(URI tokenEndpoint, String clientId, String clientSecret) {
            this.tokenEndpoint = Objects.requireNonNull(tokenEndpoint, "tokenEndpoint");
            this.clientId = Objects.requireNonNull(clientId, "clientId");
            this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
        }

        /** The scopes to ask for, space separated. */
        public Builder scope(String scope) {
            this.scope = scope;
            return this;
        }

        /** Renew a token this long before it expires (default 30 s; use a few ms for short-lived test tokens). */
        public Builder refreshSkew(Duration skew) {
            if (skew.isNegative()) {
                throw new IllegalArgumentException("refreshSkew: invalid value " + skew + ", expected a duration >= 0");
            }
            this.refreshSkew = skew;
            return this;
        }

        public Builder clientAuthentication(ClientAuthentication how) {
            this.clientAuthentication = Objects.requireNonNull(how, "clientAuthentication");
            return this;
        }

        public Builder httpClient(HttpClient http) {
            this.http = http;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        public OAuthClientCredentials build() {
            return new OAuthClientCredentials(this);
        }
    }
}
