package dev.llmfault.server.internal.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.internal.json.Json;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

/**
 * Zhipu's self-signed JWT: HS256 over {@code {"api_key":id,"exp":ms,"timestamp":ms}} with the secret half
 * of the {@code id.secret} key. {@code exp} is in epoch MILLISECONDS, unlike standard JWTs.
 */
final class ZhipuJwt {
    /** The parts of a token that looks like a JWT, before its signature is checked. */
    record Parsed(String apiKeyId, long expEpochMs, String signingInput, byte[] signature) {
    }

    private ZhipuJwt() {
    }

    static Optional<Parsed> parse(String token) {
        String[] parts = token.split("\\.");
        if (parts.length != 3 || !parts[0].startsWith("eyJ")) {
            return Optional.empty();
        }
        try {
            Base64.Decoder b64 = Base64.getUrlDecoder();
            JsonNode header = Json.MAPPER.readTree(b64.decode(parts[0]));
            JsonNode payload = Json.MAPPER.readTree(b64.decode(parts[1]));
            if (!"HS256".equals(header.path("alg").asText()) || !payload.path("api_key").isTextual()) {
                return Optional.empty();
            }
            return Optional.of(new Parsed(payload.get("api_key").asText(), payload.path("exp").asLong(0),
                    parts[0] + "." + parts[1], b64.decode(parts[2])));
        } catch (IllegalArgumentException | java.io.IOException e) {
            return Optional.empty();
        }
    }

    static boolean verify(Parsed jwt, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] expected = mac.doFinal(jwt.signingInput().getBytes(StandardCharsets.UTF_8));
            return MessageDigest.isEqual(expected, jwt.signature());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
        }
    }
}
