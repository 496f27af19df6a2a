package dev.tokenissuer.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenissuer.http.Endpoints;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code tokenctl token --from-aws-credentials}: the caller's own AWS credentials (the SDK's default chain) sign an
 * STS GetCallerIdentity bound to the service with {@code x-token-issuer-audience}, and the token endpoint exchanges
 * it (RFC 8693). A quick check that a trust-aws rule works for the identity at hand; the same steps a workload takes.
 */
public final class AwsCredentialsExchange {

    public static final String AUDIENCE_HEADER = "x-token-issuer-audience";
    private static final ObjectMapper JSON = new ObjectMapper();

    private AwsCredentialsExchange() {
    }

    /** The URL-encoded JSON of a signed GetCallerIdentity to {@code sts}, as Google's client libraries build it. */
    public static String subjectToken(AwsCredentials credentials, URI sts, String region, String audience) {
        AwsCredentialsIdentity identity = credentials instanceof AwsSessionCredentials session
                ? AwsSessionCredentialsIdentity.create(session.accessKeyId(), session.secretAccessKey(),
                session.sessionToken())
                : AwsCredentialsIdentity.create(credentials.accessKeyId(), credentials.secretAccessKey());
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST)
                .uri(URI.create(stripSlash(sts.toString()) + "/?Action=GetCallerIdentity&Version=2011-06-15"))
                .putHeader(AUDIENCE_HEADER, audience).build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(identity).request(request)
                .payload(ContentStreamProvider.fromUtf8String(""))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sts")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        List<Map<String, String>> headers = new ArrayList<>();
        signed.request().forEachHeader((name, values) -> values.forEach(value ->
                headers.add(Map.of("key", name, "value", value))));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("url", signed.request().getUri().toString());
        json.put("method", "POST");
        json.put("headers", headers);
        try {
            return URLEncoder.encode(JSON.writeValueAsString(json), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** STS of {@code region}, or the emulator when {@code AWS_ENDPOINT_URL} is set. */
    public static URI stsEndpoint(Optional<URI> awsEndpoint, String region) {
        return awsEndpoint.orElse(URI.create("https://sts." + region + ".amazonaws.com"));
    }

    /**
     * Exchanges the caller's credentials at {@code baseUrl}'s token endpoint; the audience header names that
     * endpoint. Returns the endpoint's JSON answer (the token, or the error).
     */
    public static Map<String, Object> exchange(URI baseUrl, Optional<URI> awsEndpoint, String region,
                                               Optional<String> scope) {
        String tokenEndpoint = stripSlash(baseUrl.toString()) + Endpoints.TOKEN_PATH;
        String subjectToken = subjectToken(DefaultCredentialsProvider.builder().build().resolveCredentials(),
                stsEndpoint(awsEndpoint, region), region, tokenEndpoint);
        String form = "grant_type=" + enc("urn:ietf:params:oauth:grant-type:token-exchange")
                + "&subject_token_type=" + enc("urn:ietf:params:aws:token-type:aws4_request")
                + "&subject_token=" + enc(subjectToken)
                + scope.map(s -> "&scope=" + enc(s)).orElse("");
        try {
            HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                    .send(HttpRequest.newBuilder(URI.create(tokenEndpoint)).timeout(Duration.ofSeconds(15))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                            HttpResponse.BodyHandlers.ofString());
            @SuppressWarnings("unchecked")
            Map<String, Object> body = JSON.readValue(response.body(), Map.class);
            if (response.statusCode() != 200) {
                throw new AdminException("the token endpoint answered " + response.statusCode() + ": "
                        + body.getOrDefault("error", "?") + " (" + body.getOrDefault("error_description", "") + ")");
            }
            return body;
        } catch (IOException e) {
            throw new AdminException("cannot reach " + tokenEndpoint + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminException("interrupted");
        }
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
