package dev.tokenissuer.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.SignedJWT;
import dev.tokenissuer.testing.AwsEmulator;
import dev.tokenissuer.testing.AwsIdentities;
import dev.tokenissuer.testing.LocalOidcIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Federation as an operator and a workload meet it: the packaged {@code tokenctl} writes the rules and serves the
 * API in its own process over the emulator; a role session's credentials get a token with
 * {@code tokenctl token --from-aws-credentials}; a loopback OIDC issuer's token is exchanged over HTTP; disabling the
 * service user and removing a rule stop both at once.
 */
class FederationE2EIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Map<String, String> env;
    private static Process server;
    private static Path serverLog;
    private static URI base;
    private static String serviceUserId;
    private static LocalOidcIssuer issuer;

    @BeforeAll
    static void start() throws Exception {
        env = new HashMap<>(AwsEmulator.environment("fed-" + UUID.randomUUID(), "alias/fed-" + UUID.randomUUID()));
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "test");
        env.put("AWS_SECRET_ACCESS_KEY", "test");
        int port = PackagedTokenCtl.freePort();
        base = URI.create("http://127.0.0.1:" + port);
        env.put("PUBLIC_BASE_URL", base.toString());
        tokenctl(0, "bootstrap");
        serviceUserId = tokenctl(0, "serviceuser", "create", "--org", "org-fed", "--title", "ci",
                "--scopes", "deploy read").get("id").asText();
        serverLog = Files.createTempFile("tokenctl-serve-", ".log");
        server = PackagedTokenCtl.serve(env, port, serverLog);
        issuer = new LocalOidcIssuer("/gh");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
        if (issuer != null) {
            issuer.stop();
        }
    }

    @Test
    @DisplayName("a role session gets its service user's token with tokenctl token --from-aws-credentials; disable, enable and remove take effect at once")
    void awsRoleSession() throws Exception {
        String roleArn = AwsIdentities.createRole("deployer-" + UUID.randomUUID().toString().substring(0, 8), "/ci/");
        JsonNode rule = tokenctl(0, "federation", "trust-aws", "--role-arn", roleArn, "--serviceuser", serviceUserId,
                "--title", "deploy role");
        AwsIdentities.Credentials session = AwsIdentities.assumeRole(roleArn, "pipeline-42");

        JsonNode token = asWorkload(session, 0, "token", "--from-aws-credentials", "--scope", "deploy");
        var claims = SignedJWT.parse(token.get("access_token").asText()).getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo(serviceUserId);
        assertThat(claims.getClaim("auth_via")).isEqualTo("token_exchange_aws");
        assertThat((String) claims.getClaim("client_id")).endsWith("/pipeline-42");
        assertThat(token.get("issued_token_type").asText()).isEqualTo("urn:ietf:params:oauth:token-type:access_token");

        tokenctl(0, "serviceuser", "disable", serviceUserId);
        asWorkload(session, 1, "token", "--from-aws-credentials");
        tokenctl(0, "serviceuser", "enable", serviceUserId);
        asWorkload(session, 0, "token", "--from-aws-credentials");

        assertThat(tokenctl(0, "federation", "list").toString()).contains(rule.get("id").asText());
        tokenctl(0, "federation", "remove", rule.get("id").asText());
        asWorkload(session, 1, "token", "--from-aws-credentials");
    }

    @Test
    @DisplayName("a GitHub Actions-shaped token of a registered issuer is exchanged over HTTP under a trust-oidc rule with a claim")
    void oidcIssuer() throws Exception {
        tokenctl(0, "federation", "add-issuer", issuer.issuer(), "--audience", "https://fed.example");
        JsonNode rule = tokenctl(0, "federation", "trust-oidc", "--issuer", issuer.issuer(), "--subject",
                "repo:acme/api:*", "--claim", "repository_owner=acme;workflow=deploy", "--serviceuser", serviceUserId);
        String token = issuer.githubActions("acme/api", "refs/heads/main", "https://fed.example",
                Instant.now().plusSeconds(300));

        HttpResponse<String> granted = exchange("urn:ietf:params:oauth:token-type:jwt", token);
        assertThat(granted.statusCode()).as(granted.body()).isEqualTo(200);
        assertThat(SignedJWT.parse(JSON.readTree(granted.body()).get("access_token").asText()).getJWTClaimsSet()
                .getSubject()).isEqualTo(serviceUserId);

        assertThat(tokenctl(1, "federation", "remove", issuer.issuer())).isNull();
        tokenctl(0, "federation", "remove", rule.get("id").asText());
        assertThat(exchange("urn:ietf:params:oauth:token-type:jwt", token).statusCode()).isEqualTo(400);
        tokenctl(0, "federation", "remove", issuer.issuer());
    }

    @Test
    @DisplayName("tokenctl refuses a subject pattern with * anywhere but after : or / at the end, and an unregistered issuer")
    void refusesBadRules() throws Exception {
        tokenctl(1, "federation", "trust-oidc", "--issuer", "https://never-registered.example", "--subject",
                "repo:acme/*api", "--serviceuser", serviceUserId);
        tokenctl(1, "federation", "trust-oidc", "--issuer", "https://never-registered.example", "--subject",
                "repo:acme/api:ref", "--serviceuser", serviceUserId);
        tokenctl(1, "federation", "trust-aws", "--role-arn", "arn:aws:s3:::bucket", "--serviceuser", serviceUserId);
        tokenctl(1, "federation", "add-issuer", "http://issuer.example.com");
    }

    private static HttpResponse<String> exchange(String type, String subjectToken) throws Exception {
        String form = "grant_type=" + enc("urn:ietf:params:oauth:grant-type:token-exchange")
                + "&subject_token_type=" + enc(type) + "&subject_token=" + enc(subjectToken);
        return HTTP.send(HttpRequest.newBuilder(base.resolve("/v1beta1/auth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** tokenctl with a workload's credentials in its environment, as the SDK's default chain finds them. */
    private static JsonNode asWorkload(AwsIdentities.Credentials credentials, int status, String... args)
            throws Exception {
        Map<String, String> workload = new HashMap<>(env);
        workload.put("AWS_ACCESS_KEY_ID", credentials.accessKeyId());
        workload.put("AWS_SECRET_ACCESS_KEY", credentials.secretAccessKey());
        workload.put("AWS_SESSION_TOKEN", credentials.sessionToken());
        return run(workload, status, args);
    }

    private static JsonNode tokenctl(int status, String... args) throws Exception {
        return run(env, status, args);
    }

    private static JsonNode run(Map<String, String> environment, int status, String... args) throws Exception {
        Process process = PackagedTokenCtl.process(environment, List.of(args))
                .redirectError(ProcessBuilder.Redirect.PIPE).start();
        byte[] out = process.getInputStream().readAllBytes();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("tokenctl " + Arrays.toString(args) + ": " + err).isEqualTo(status);
        return out.length == 0 ? null : JSON.readTree(out);
    }
}
