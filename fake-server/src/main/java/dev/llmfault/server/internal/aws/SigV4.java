package dev.llmfault.server.internal.aws;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads and checks an AWS Signature Version 4 {@code Authorization} header the way an AWS front end does
 * before it looks at the signature itself: its shape, the credential scope
 * ({@code AKID/yyyyMMdd/region/service/aws4_request}), {@code X-Amz-Date} against the server clock (more
 * than 5 minutes apart is "Signature expired"), and {@code X-Amz-Security-Token} for temporary keys
 * ({@code ASIA...}). The signature is not recomputed: the server never holds the secret key.
 *
 * <pre>{@code
 * SigV4.Result r = SigV4.check(authorization, amzDate, securityToken, "bedrock", Instant.now());
 * if (r instanceof SigV4.Signed signed) { String accessKeyId = signed.accessKeyId(); }
 * }</pre>
 */
public final class SigV4 {
    /** The signing algorithm of every SigV4 request. */
    public static final String ALGORITHM = "AWS4-HMAC-SHA256";
    /** How far {@code X-Amz-Date} may be from the server clock, either way. */
    public static final Duration MAX_SKEW = Duration.ofMinutes(5);

    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private SigV4() {
    }

    /** What the check found. */
    public sealed interface Result permits Signed, Refused {
    }

    /**
     * A well-formed, current signature.
     *
     * @param accessKeyId   the key id of the credential scope: the request's credential
     * @param region        the region of the scope
     * @param signedHeaders the headers the client signed, lower case
     * @param sessionToken  {@code X-Amz-Security-Token}, or null when none was sent
     */
    public record Signed(String accessKeyId, String region, List<String> signedHeaders, String sessionToken)
            implements Result {
    }

    /**
     * A request an AWS front end refuses before it reaches the service.
     *
     * @param problem     which rule it broke
     * @param accessKeyId the key id when one could be read (so the journal names the caller), else null
     * @param message     the message AWS answers with
     */
    public record Refused(Problem problem, String accessKeyId, String message) implements Result {
    }

    /** The rules, each with the error AWS answers when it is broken. */
    public enum Problem {
        /** No {@code Authorization} header at all: {@code MissingAuthenticationTokenException}. */
        MISSING,
        /** A header of the wrong algorithm or missing parts: {@code IncompleteSignatureException}. */
        INCOMPLETE,
        /** A scope of the wrong form, service or date: {@code InvalidSignatureException}. */
        BAD_SCOPE,
        /** {@code X-Amz-Date} more than 5 minutes from the server clock: {@code InvalidSignatureException}. */
        EXPIRED,
        /** A temporary key ({@code ASIA...}) without its session token: {@code UnrecognizedClientException}. */
        MISSING_SESSION_TOKEN
    }

    /**
     * The access key id of a SigV4 header ({@code Credential=AKID/...}), or null when the header has none: the
     * credential a request is known by, read before any check.
     */
    public static String accessKeyId(String authorization) {
        if (authorization == null || !authorization.trim().startsWith(ALGORITHM + " ")) {
            return null;
        }
        int at = authorization.indexOf("Credential=");
        if (at < 0) {
            return null;
        }
        int from = at + "Credential=".length();
        int end = from;
        while (end < authorization.length() && "/, ".indexOf(authorization.charAt(end)) < 0) {
            end++;
        }
        return end > from ? authorization.substring(from, end) : null;
    }

    /**
     * Checks one request's signature headers.
     *
     * @param authorization the {@code Authorization} header, or null
     * @param amzDate       {@code X-Amz-Date}, or null
     * @param sessionToken  {@code X-Amz-Security-Token}, or null
     * @param service       the signing name the scope must carry ({@code bedrock})
     * @param now           the server clock
     */
    public static Result check(String authorization, String amzDate, String sessionToken, String service, Instant now) {
        if (authorization == null || authorization.isBlank()) {
            return new Refused(Problem.MISSING, null, "Missing Authentication Token");
        }
        String header = authorization.trim();
        if (!header.startsWith(ALGORITHM + " ")) {
            // Never echo the header: a client that sent a bare key here would find it in the error.
            return new Refused(Problem.INCOMPLETE, null, "Authorization header requires '" + ALGORITHM
                    + "' as its algorithm, then 'Credential', 'SignedHeaders' and 'Signature' parameters.");
        }
        String credential = null;
        String signedHeaders = null;
        String signature = null;
        for (String part : header.substring(ALGORITHM.length()).split(",")) {
            String p = part.trim();
            int eq = p.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String value = p.substring(eq + 1).trim();
            switch (p.substring(0, eq).trim()) {
                case "Credential" -> credential = value;
                case "SignedHeaders" -> signedHeaders = value;
                case "Signature" -> signature = value;
                default -> { }
            }
        }
        List<String> missing = new ArrayList<>();
        if (credential == null || credential.isEmpty()) {
            missing.add("Authorization header requires 'Credential' parameter.");
        }
        if (signature == null || signature.isEmpty()) {
            missing.add("Authorization header requires 'Signature' parameter.");
        }
        if (signedHeaders == null || signedHeaders.isEmpty()) {
            missing.add("Authorization header requires 'SignedHeaders' parameter.");
        }
        if (amzDate == null || amzDate.isBlank()) {
            missing.add("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }
        String[] scope = credential == null ? new String[0] : credential.split("/", -1);
        String keyId = scope.length > 0 && !scope[0].isEmpty() ? scope[0] : null;
        if (!missing.isEmpty()) {
            return new Refused(Problem.INCOMPLETE, keyId, String.join(" ", missing) + " Authorization="
                    + ALGORITHM);
        }
        if (!signature.matches("[0-9a-f]{64}")) {
            return new Refused(Problem.INCOMPLETE, keyId, "Authorization header requires 'Signature' to be 64 "
                    + "lower-case hex digits. Authorization=" + ALGORITHM);
        }
        if (scope.length != 5 || keyId == null) {
            return new Refused(Problem.BAD_SCOPE, keyId, "Credential should be scoped to a valid region. ");
        }
        if (!"aws4_request".equals(scope[4])) {
            return new Refused(Problem.BAD_SCOPE, keyId,
                    "Credential should be scoped with a valid terminator: 'aws4_request', not '" + scope[4] + "'. ");
        }
        if (!service.equals(scope[3])) {
            return new Refused(Problem.BAD_SCOPE, keyId, "Credential should be scoped to correct service: '"
                    + service + "'. ");
        }
        if (scope[2].isEmpty()) {
            return new Refused(Problem.BAD_SCOPE, keyId, "Credential should be scoped to a valid region. ");
        }
        Instant signedAt;
        try {
            signedAt = AMZ_DATE.parse(amzDate.trim(), Instant::from);
        } catch (DateTimeParseException e) {
            return new Refused(Problem.INCOMPLETE, keyId, "Date must be in ISO-8601 'basic format'. Got '"
                    + amzDate.trim() + "'. See http://en.wikipedia.org/wiki/ISO_8601");
        }
        String day = amzDate.trim().substring(0, 8);
        if (!day.equals(scope[1])) {
            return new Refused(Problem.BAD_SCOPE, keyId, "Date in Credential scope does not match YYYYMMDD from "
                    + "ISO-8601 version of date from HTTP: '" + scope[1] + "' != '" + day + "', from '"
                    + amzDate.trim() + "'.");
        }
        if (signedAt.isBefore(now.minus(MAX_SKEW))) {
            return new Refused(Problem.EXPIRED, keyId, "Signature expired: " + AMZ_DATE.format(signedAt)
                    + " is now earlier than " + AMZ_DATE.format(now.minus(MAX_SKEW)) + " (" + AMZ_DATE.format(now)
                    + " - 5 min.)");
        }
        if (signedAt.isAfter(now.plus(MAX_SKEW))) {
            return new Refused(Problem.EXPIRED, keyId, "Signature not yet current: " + AMZ_DATE.format(signedAt)
                    + " is still later than " + AMZ_DATE.format(now.plus(MAX_SKEW)) + " (" + AMZ_DATE.format(now)
                    + " + 5 min.)");
        }
        List<String> signed = List.of(signedHeaders.toLowerCase(Locale.ROOT).split(";"));
        if (!signed.contains("host") && !signed.contains(":authority")) {
            return new Refused(Problem.INCOMPLETE, keyId, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
        }
        String token = sessionToken == null || sessionToken.isBlank() ? null : sessionToken.trim();
        if (keyId.startsWith("ASIA") && token == null) {
            return new Refused(Problem.MISSING_SESSION_TOKEN, keyId, "The security token included in the request is invalid.");
        }
        return new Signed(keyId, scope[2], signed, token);
    }
}
