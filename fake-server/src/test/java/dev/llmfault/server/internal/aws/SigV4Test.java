package dev.llmfault.server.internal.aws;

import dev.llmfault.server.internal.aws.SigV4.Problem;
import dev.llmfault.server.internal.aws.SigV4.Refused;
import dev.llmfault.server.internal.aws.SigV4.Signed;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The SigV4 header rules an AWS front end applies before the service sees a request. */
class SigV4Test {
    private static final Instant NOW = Instant.parse("2026-12-02T13:00:00Z");
    private static final String DATE = "20261202T130000Z";
    private static final String SIGNATURE = "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";
    private static final String KEY_ID = "AKIAIOSFODNN7EXAMPLE";

    private static String authorization(String credential, String signedHeaders) {
        return "AWS4-HMAC-SHA256 Credential=" + credential + ", SignedHeaders=" + signedHeaders + ", Signature=" + SIGNATURE;
    }

    private static String scope(String keyId, String day, String service) {
        return keyId + "/" + day + "/us-east-1/" + service + "/aws4_request";
    }

    private static SigV4.Result check(String authorization, String amzDate, String token) {
        return SigV4.check(authorization, amzDate, token, "bedrock", NOW);
    }

    private static Refused refused(SigV4.Result r) {
        assertThat(r).isInstanceOf(Refused.class);
        return (Refused) r;
    }

    @Test
    void aWellFormedCurrentSignatureGivesTheAccessKeyId() {
        SigV4.Result r = check(authorization(scope(KEY_ID, "20261202", "bedrock"), "host;x-amz-date"), DATE, null);

        assertThat(r).isEqualTo(new Signed(KEY_ID, "us-east-1", java.util.List.of("host", "x-amz-date"), null));
    }

    @Test
    void noHeaderIsAMissingToken() {
        assertThat(refused(check(null, DATE, null))).isEqualTo(new Refused(Problem.MISSING, null, "Missing Authentication Token"));
    }

    @Test
    void anotherSchemeIsIncompleteAndItsValueIsNeverEchoed() {
        Refused r = refused(check("Bearer sk-secret-0123456789abcdef", DATE, null));

        assertThat(r.problem()).isEqualTo(Problem.INCOMPLETE);
        assertThat(r.message()).doesNotContain("sk-secret");
    }

    @Test
    void missingPartsAreEachNamed() {
        Refused r = refused(check("AWS4-HMAC-SHA256 Credential=" + scope(KEY_ID, "20261202", "bedrock"), null, null));

        assertThat(r.problem()).isEqualTo(Problem.INCOMPLETE);
        assertThat(r.accessKeyId()).isEqualTo(KEY_ID);
        assertThat(r.message()).contains("requires 'Signature' parameter", "requires 'SignedHeaders' parameter",
                "'X-Amz-Date' or a 'Date' header").doesNotContain("'Credential' parameter");
    }

    @Test
    void theScopeMustNameTheServiceTheDayAndTheTerminator() {
        assertThat(refused(check(authorization(scope(KEY_ID, "20261202", "s3"), "host"), DATE, null)).message())
                .isEqualTo("Credential should be scoped to correct service: 'bedrock'. ");
        assertThat(refused(check(authorization(scope(KEY_ID, "20261201", "bedrock"), "host"), DATE, null)).message())
                .isEqualTo("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
                        + "'20261201' != '20261202', from '20261202T130000Z'.");
        assertThat(refused(check(authorization(KEY_ID + "/20261202/bedrock", "host"), DATE, null)).problem())
                .isEqualTo(Problem.BAD_SCOPE);
        assertThat(refused(check(authorization(KEY_ID + "/20261202/us-east-1/bedrock/aws5", "host"), DATE, null)).problem())
                .isEqualTo(Problem.BAD_SCOPE);
    }

    @Test
    void theHostMustBeSigned() {
        assertThat(refused(check(authorization(scope(KEY_ID, "20261202", "bedrock"), "x-amz-date"), DATE, null)).message())
                .contains("'Host' or ':authority' must be a 'SignedHeader'");
    }

    @Test
    void aDateMoreThanFiveMinutesOffEitherWayHasExpired() {
        String credential = scope(KEY_ID, "20261202", "bedrock");
        assertThat(check(authorization(credential, "host"), "20261202T125500Z", null)).isInstanceOf(Signed.class);
        assertThat(check(authorization(credential, "host"), "20261202T130500Z", null)).isInstanceOf(Signed.class);

        Refused late = refused(check(authorization(credential, "host"), "20261202T125459Z", null));
        assertThat(late).isEqualTo(new Refused(Problem.EXPIRED, KEY_ID, "Signature expired: 20261202T125459Z is now "
                + "earlier than 20261202T125500Z (20261202T130000Z - 5 min.)"));
        Refused early = refused(check(authorization(credential, "host"), "20261202T130501Z", null));
        assertThat(early.message()).isEqualTo("Signature not yet current: 20261202T130501Z is still later than "
                + "20261202T130500Z (20261202T130000Z + 5 min.)");
    }

    @Test
    void aDateOfAnotherFormatIsNamed() {
        Refused r = refused(check(authorization(scope(KEY_ID, "20261202", "bedrock"), "host"), "2026-12-02T13:00:00Z", null));

        assertThat(r.problem()).isEqualTo(Problem.INCOMPLETE);
        assertThat(r.message()).contains("ISO-8601 'basic format'", "2026-12-02T13:00:00Z");
    }

    @Test
    void aTemporaryKeyNeedsItsSessionToken() {
        String credential = scope("ASIAIOSFODNN7EXAMPLE", "20261202", "bedrock");

        assertThat(refused(check(authorization(credential, "host"), DATE, null)).problem())
                .isEqualTo(Problem.MISSING_SESSION_TOKEN);
        assertThat(check(authorization(credential, "host;x-amz-security-token"), DATE, "FwoGZXIvYXdzEXAMPLE"))
                .isInstanceOfSatisfying(Signed.class, s -> assertThat(s.sessionToken()).isEqualTo("FwoGZXIvYXdzEXAMPLE"));
    }

    @Test
    void aSignatureThatIsNotHexIsIncomplete() {
        String bad = "AWS4-HMAC-SHA256 Credential=" + scope(KEY_ID, "20261202", "bedrock")
                + ", SignedHeaders=host, Signature=not-a-signature";

        assertThat(refused(check(bad, DATE, null)).problem()).isEqualTo(Problem.INCOMPLETE);
    }

    @Test
    void theAccessKeyIdIsReadBeforeAnyCheck() {
        assertThat(SigV4.accessKeyId(authorization(scope(KEY_ID, "20200101", "s3"), "host"))).isEqualTo(KEY_ID);
        assertThat(SigV4.accessKeyId("AWS4-HMAC-SHA256 Credential=, Signature=x")).isNull();
        assertThat(SigV4.accessKeyId("AWS4-HMAC-SHA256 SignedHeaders=host")).isNull();
        assertThat(SigV4.accessKeyId("Bearer " + KEY_ID)).isNull();
        assertThat(SigV4.accessKeyId(null)).isNull();
    }
}
