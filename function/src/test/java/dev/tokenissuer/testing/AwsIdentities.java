package dev.tokenissuer.testing;

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
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * IAM users and role sessions in the AWS emulator, made through its IAM and STS query APIs (signed with the SDK's
 * own SigV4 signer, unmodified), and the AWS subject tokens of token exchange signed with their credentials, as
 * Google's client libraries build them.
 */
public final class AwsIdentities {

    public static final String REGION = "us-east-1";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private AwsIdentities() {
    }

    /** @param sessionToken null for an IAM user's long-term key */
    public record Credentials(String accessKeyId, String secretAccessKey, String sessionToken, String arn) {
        AwsCredentialsIdentity identity() {
            return sessionToken == null ? AwsCredentialsIdentity.create(accessKeyId, secretAccessKey)
                    : AwsSessionCredentialsIdentity.create(accessKeyId, secretAccessKey, sessionToken);
        }
    }

    /** The emulator's administrator (any key works there). */
    public static Credentials admin() {
        return new Credentials("test", "test", null, null);
    }

    /** Creates a role in the emulator's IAM and returns its ARN. */
    public static String createRole(String name, String path) {
        String body = query(admin(), "iam", Map.of("Action", "CreateRole", "Version", "2010-05-08",
                "RoleName", name, "Path", path, "AssumeRolePolicyDocument",
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                        + "\"arn:aws:iam::123456789012:root\"},\"Action\":\"sts:AssumeRole\"}]}"));
        return element(body, "Arn");
    }

    /** Assumes the role: the session's credentials, whose caller ARN is the assumed-role one. */
    public static Credentials assumeRole(String roleArn, String sessionName) {
        String body = query(admin(), "sts", Map.of("Action", "AssumeRole", "Version", "2011-06-15",
                "RoleArn", roleArn, "RoleSessionName", sessionName));
        return new Credentials(element(body, "AccessKeyId"), element(body, "SecretAccessKey"),
                element(body, "SessionToken"), element(body, "Arn"));
    }

    /** Creates an IAM user with an access key. */
    public static Credentials createUser(String name) {
        String arn = element(query(admin(), "iam", Map.of("Action", "CreateUser", "Version", "2010-05-08",
                "UserName", name)), "Arn");
        String key = query(admin(), "iam", Map.of("Action", "CreateAccessKey", "Version", "2010-05-08",
                "UserName", name));
        return new Credentials(element(key, "AccessKeyId"), element(key, "SecretAccessKey"), null, arn);
    }

    /**
     * A subject token: GetCallerIdentity to {@code stsUrl} (POST, the action in the query, no body), signed at
     * {@code clock}'s time with {@code extraHeaders} (the audience header, typically) among the signed headers.
     */
    public static String subjectToken(Credentials credentials, URI stsUrl, Map<String, String> extraHeaders,
                                      Clock clock) {
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.POST)
                .uri(URI.create(stsUrl + "/?Action=GetCallerIdentity&Version=2011-06-15"));
        extraHeaders.forEach(request::putHeader);
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(credentials.identity())
                .request(request.build())
                .payload(ContentStreamProvider.fromUtf8String(""))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sts")
                .putProperty(AwsV4HttpSigner.REGION_NAME, REGION)
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock));
        return encode(signed.request());
    }

    /** Google's form: the URL-encoded JSON of url, method and the headers as {key, value}. */
    public static String encode(SdkHttpRequest signed) {
        return URLEncoder.encode(json(signed.getUri().toString(), signed.method().name(), headers(signed), null),
                StandardCharsets.UTF_8);
    }

    public static List<Map.Entry<String, String>> headers(SdkHttpRequest signed) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        signed.forEachHeader((name, values) -> values.forEach(value -> headers.add(Map.entry(name, value))));
        return headers;
    }

    public static String json(String url, String method, List<Map.Entry<String, String>> headers, String body) {
        String list = headers.stream().map(h -> "{\"key\":" + quote(h.getKey()) + ",\"value\":" + quote(h.getValue())
                + "}").collect(Collectors.joining(","));
        return "{\"url\":" + quote(url) + ",\"method\":" + quote(method) + ",\"headers\":[" + list + "]"
                + (body == null ? "" : ",\"body\":" + quote(body)) + "}";
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String query(Credentials credentials, String service, Map<String, String> parameters) {
        String body = new LinkedHashMap<>(parameters).entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        URI endpoint = URI.create(AwsEmulator.endpoint() + "/");
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint)
                .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8").build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(credentials.identity())
                .request(request).payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, REGION));
        HttpRequest.Builder http = HttpRequest.newBuilder(endpoint).POST(HttpRequest.BodyPublishers.ofString(body));
        signed.request().forEachHeader((name, values) -> {
            if (!name.equalsIgnoreCase("host")) {
                values.forEach(value -> http.header(name, value));
            }
        });
        try {
            HttpResponse<String> response = HTTP.send(http.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(service + " " + parameters.get("Action") + ": HTTP "
                        + response.statusCode() + " " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String element(String xml, String name) {
        Matcher m = Pattern.compile("<" + name + ">([^<]*)</" + name + ">").matcher(xml);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + xml);
        }
        return m.group(1);
    }

}
