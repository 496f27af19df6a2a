package dev.tokenissuer.grant.exchange;

import dev.tokenissuer.grant.OAuthException;
import dev.tokenissuer.grant.TokenRequest;
import dev.tokenissuer.testing.AwsIdentities;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The AWS subject token's rules that need no I/O: what is accepted, and what is sent where. */
class SignedCallerIdentityRequestTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private static final String DATE = "20261207T115900Z";
    private static final String AUTH = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261207/eu-west-1/sts/aws4_request,"
            + " SignedHeaders=host;x-amz-date;x-token-issuer-audience, Signature=" + "ab".repeat(32);
    private static final StsEndpoints AWS = StsEndpoints.ofPartition("eu-west-1");
    private static final TokenRequest REQUEST = new TokenRequest(TokenExchangeGrant.GRANT_TYPE, Map.of(), false,
            Optional.of("https://auth.example.com/v1beta1/auth/token"), Optional.of("https://auth.example.com"),
            Optional.empty(), "POST", Map.of());

    private static String token(String url, String method, String body, Map<String, String> headers) {
        List<Map.Entry<String, String>> list = new ArrayList<>(headers.entrySet());
        return AwsIdentities.json(url, method, list, body);
    }

    private static Map<String, String> headers(String host) {
        return Map.of("Authorization", AUTH, "host", host, "x-amz-date", DATE,
                "x-token-issuer-audience", "https://auth.example.com");
    }

    private static String reason(ThrowingCallable call) {
        return catchThrowableOfType(OAuthException.class, call).error().reason().code();
    }

    @Test
    @DisplayName("a regional STS endpoint of the partition is the target, with the fixed GetCallerIdentity query")
    void regional() {
        SignedCallerIdentityRequest signed = SignedCallerIdentityRequest.of(token(
                "https://sts.eu-west-1.amazonaws.com?Action=GetCallerIdentity&Version=2011-06-15", "POST", null,
                headers("sts.eu-west-1.amazonaws.com")), AWS, REQUEST, NOW);

        assertThat(signed.target()).isEqualTo(URI.create(
                "https://sts.eu-west-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15"));
        assertThat(signed.headers()).containsKeys("authorization", "x-amz-date", "x-token-issuer-audience")
                .doesNotContainKey("host");
        assertThat(signed.signature()).isEqualTo("ab".repeat(32));
    }

    @Test
    @DisplayName("the action may come in a form body, as the SDKs send STS calls; the global endpoint is ours too")
    void formBody() {
        SignedCallerIdentityRequest signed = SignedCallerIdentityRequest.of(token("https://sts.amazonaws.com/",
                "POST", "Action=GetCallerIdentity&Version=2011-06-15", headers("sts.amazonaws.com")), AWS, REQUEST,
                NOW);

        assertThat(signed.target()).isEqualTo(URI.create("https://sts.amazonaws.com/"));
        assertThat(new String(signed.body(), StandardCharsets.UTF_8))
                .isEqualTo("Action=GetCallerIdentity&Version=2011-06-15");
    }

    @Test
    @DisplayName("another action, another path, another partition's or a look-alike host is not STS GetCallerIdentity")
    void notSts() {
        Map<String, String> h = headers("sts.eu-west-1.amazonaws.com");
        assertThat(reason(() -> SignedCallerIdentityRequest.of(token(
                "https://sts.eu-west-1.amazonaws.com/?Action=AssumeRole&Version=2011-06-15", "POST", null, h), AWS,
                REQUEST, NOW))).isEqualTo("aws_url_not_sts");
        assertThat(reason(() -> SignedCallerIdentityRequest.of(token(
                "https://sts.eu-west-1.amazonaws.com/x?Action=GetCallerIdentity&Version=2011-06-15", "POST", null, h),
                AWS, REQUEST, NOW))).isEqualTo("aws_url_not_sts");
        assertThat(reason(() -> SignedCallerIdentityRequest.of(token(
                "https://sts.cn-north-1.amazonaws.com.cn/?Action=GetCallerIdentity&Version=2011-06-15", "POST", null,
                headers("sts.cn-north-1.amazonaws.com.cn")), AWS, REQUEST, NOW))).isEqualTo("aws_url_not_sts");
        assertThat(reason(() -> SignedCallerIdentityRequest.of(token(
                "https://sts.eu-west-1.amazonaws.com.evil.example/?Action=GetCallerIdentity&Version=2011-06-15",
                "POST", null, h), AWS, REQUEST, NOW))).isEqualTo("aws_url_not_sts");
        assertThat(reason(() -> SignedCallerIdentityRequest.of(token(
                "https://sts.eu-west-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15", "POST", null,
                headers("evil.example")), AWS, REQUEST, NOW))).isEqualTo("aws_url_not_sts");
        assertThat(reason(() -> SignedCallerIdentityRequest.of(token(
                "https://sts.eu-west-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15", "DELETE", null,
                h), AWS, REQUEST, NOW))).isEqualTo("aws_url_not_sts");
    }

    @Test
    @DisplayName("China's partition has its own endpoints, and no global one")
    void china() {
        StsEndpoints china = StsEndpoints.ofPartition("cn-north-1");
        assertThat(china.match(URI.create("https://sts.cn-northwest-1.amazonaws.com.cn/"))).isPresent();
        assertThat(china.match(URI.create("https://sts.amazonaws.com/"))).isEmpty();
        assertThat(AWS.match(URI.create("https://sts.us-east-1.amazonaws.com/"))).isPresent();
        assertThat(AWS.match(URI.create("http://sts.us-east-1.amazonaws.com/"))).isEmpty();
    }

    @Test
    @DisplayName("a token that is not the JSON of a request is malformed, not a 500")
    void malformed() {
        for (String bad : List.of("", "%7B", "[1]", "{\"url\":1}", "{\"url\":\"https://sts.amazonaws.com/\"}",
                "{\"url\":\"https://sts.amazonaws.com/\",\"method\":\"POST\",\"body\":\"Action=GetCallerIdentity&Version=2011-06-15\",\"headers\":{}}")) {
            assertThat(catchThrowableOfType(OAuthException.class,
                    () -> SignedCallerIdentityRequest.of(bad, AWS, REQUEST, NOW)).error().error())
                    .as(bad).isEqualTo("invalid_request");
        }
    }

    @Test
    @DisplayName("a caller ARN maps to its role (without path) or user; root and federated users to nothing")
    void callerArns() {
        assertThat(CallerArn.of("arn:aws:sts::123456789012:assumed-role/deployer/build-1")).hasValueSatisfying(arn -> {
            assertThat(arn.principal()).isEqualTo("arn:aws:iam::123456789012:role/deployer");
            assertThat(arn.sessionName()).hasValue("build-1");
        });
        assertThat(CallerArn.of("arn:aws:iam::123456789012:user/ops/alice").orElseThrow().principal())
                .isEqualTo("arn:aws:iam::123456789012:user/ops/alice");
        assertThat(CallerArn.of("arn:aws:iam::123456789012:root")).isEmpty();
        assertThat(CallerArn.of("arn:aws:sts::123456789012:federated-user/bob")).isEmpty();
        assertThat(CallerArn.principalOf("arn:aws:iam::123456789012:role/ci/team/deployer"))
                .hasValue("arn:aws:iam::123456789012:role/deployer");
        assertThat(CallerArn.principalOf("arn:aws:s3:::bucket")).isEmpty();
    }

    @Test
    @DisplayName("STS's answer is read without DTDs or entities")
    void xml() {
        assertThat(StsCaller.arn(("<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                + "<GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/a</Arn><UserId>X</UserId>"
                + "<Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>")
                .getBytes(StandardCharsets.UTF_8))).isEqualTo("arn:aws:iam::123456789012:user/a");
        assertThat(catchThrowableOfType(RuntimeException.class, () -> StsCaller.arn(("<!DOCTYPE x [<!ENTITY e "
                + "SYSTEM \"file:///etc/passwd\">]><GetCallerIdentityResponse><Arn>&e;</Arn>"
                + "</GetCallerIdentityResponse>").getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(software.amazon.awssdk.core.exception.SdkClientException.class);
    }
}
