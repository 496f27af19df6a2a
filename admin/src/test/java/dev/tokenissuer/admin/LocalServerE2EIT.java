package dev.tokenissuer.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.tokenissuer.testing.AwsEmulator;
import dev.tokenissuer.testing.ClientAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end over HTTP, as a user meets it: the packaged {@code tokenctl} jar provisions the emulator and serves
 * the API in its own process, and a plain HTTP client gets tokens that verify against the JWKS it fetches.
 */
class LocalServerE2EIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Map<String, String> env;
    private static Process server;
    private static Path serverLog;
    private static URI base;
    private static String serviceUserId;
    private static String clientId;
    private static String clientSecret;

    @BeforeAll
    static void startServer() throws Exception {
        env = new HashMap<>(AwsEmulator.environment("e2e-" + UUID.randomUUID(), "alias/e2e-" + UUID.randomUUID()));
        env.put("AWS_REGION", "us-east-1");
        env.putIfAbsent("AWS_ACCESS_KEY_ID", System.getenv().getOrDefault("AWS_ACCESS_KEY_ID", "test"));
        env.putIfAbsent("AWS_SECRET_ACCESS_KEY", System.getenv().getOrDefault("AWS_SECRET_ACCESS_KEY", "test"));
        env.put("TOKEN_ISSUER", "https://e2e.example.test");

        tokenctl("bootstrap");
        serviceUserId = tokenctl("serviceuser", "create", "--org", "org-e2e", "--title", "e2e").get("id").asText();
        JsonNode secret = tokenctl("secret", "create", serviceUserId);
        clientId = secret.get("client_id").asText();
        clientSecret = secret.get("client_secret").asText();

        int port = PackagedTokenCtl.freePort();
        serverLog = Files.createTempFile("tokenctl-serve-", ".log");
        server = PackagedTokenCtl.serve(env, port, serverLog);
        base = URI.create("http://127.0.0.1:" + port);
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.destroy();
            assertThat(server.waitFor(10, TimeUnit.SECONDS)).as("the server stops on SIGTERM").isTrue();
        }
    }

    @Test
    @DisplayName("a token from curl-style Basic credentials verifies against the served JWKS")
    void basicCredentialsGetAVerifiableToken() throws Exception {
        HttpResponse<String> response = post(Map.of(
                "Content-Type", "application/x-www-form-urlencoded",
                "Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8))),
                "grant_type=client_credentials");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        JWTClaimsSet claims = verify(JSON.readTree(response.body()).get("access_token").asText());
        assertThat(claims.getSubject()).isEqualTo(serviceUserId);
        assertThat(claims.getIssuer()).isEqualTo("https://e2e.example.test");
        assertThat(claims.getStringClaim("org_ids")).isEqualTo("org-e2e");
    }

    @Test
    void jsonBodyCredentialsGetAToken() throws Exception {
        HttpResponse<String> response = post(Map.of("Content-Type", "application/json"),
                "{\"grant_type\":\"client_credentials\",\"client_id\":\"" + clientId + "\",\"client_secret\":\""
                        + clientSecret + "\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        verify(JSON.readTree(response.body()).get("access_token").asText());
    }

    @Test
    void errorsKeepTheirShapeOverHttp() throws Exception {
        HttpResponse<String> unauthorized = post(Map.of("Content-Type", "application/x-www-form-urlencoded"),
                "grant_type=client_credentials&client_id=" + clientId + "&client_secret=nope");
        HttpResponse<String> notFound = HTTP.send(HttpRequest.newBuilder(base.resolve("/nope")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> notAllowed = HTTP.send(HttpRequest.newBuilder(base.resolve("/v1beta1/auth/token"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(unauthorized.statusCode()).isEqualTo(401);
        assertThat(unauthorized.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"token-issuer\"");
        assertThat(JSON.readTree(unauthorized.body()).get("code").asInt()).isEqualTo(16);
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(notAllowed.statusCode()).isEqualTo(405);
    }

    @Test
    @DisplayName("the JWKS answers at Frontier's middleware's doubled-slash URL; an unknown doubled-slash path is 404")
    void doubledSlashesAreCollapsed() throws Exception {
        HttpResponse<String> jwks = HTTP.send(HttpRequest.newBuilder(URI.create(base + "//.well-known/jwks.json"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> unknown = HTTP.send(HttpRequest.newBuilder(URI.create(base + "//nope")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> encoded = HTTP.send(HttpRequest.newBuilder(
                URI.create(base + "/%2F.well-known/jwks.json")).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(jwks.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(jwks.body()).get("keys").size()).isPositive();
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(encoded.statusCode()).isEqualTo(404);
    }

    @Test
    @DisplayName("tokenctl serviceuser disable and secret delete take effect on the running server at once")
    void adminChangesTakeEffectAtOnce() throws Exception {
        String user = tokenctl("serviceuser", "create", "--org", "org-e2e", "--title", "short-lived").get("id").asText();
        JsonNode secret = tokenctl("secret", "create", user);
        String body = "grant_type=client_credentials&client_id=" + secret.get("client_id").asText()
                + "&client_secret=" + secret.get("client_secret").asText();
        Map<String, String> form = Map.of("Content-Type", "application/x-www-form-urlencoded");
        assertThat(post(form, body).statusCode()).isEqualTo(200);

        tokenctl("serviceuser", "disable", user);
        assertThat(post(form, body).statusCode()).isEqualTo(403);

        tokenctl("serviceuser", "enable", user);
        tokenctl("secret", "delete", secret.get("client_id").asText());
        assertThat(post(form, body).statusCode()).isEqualTo(401);
    }

    @Test
    @DisplayName("an assertion signed with the key file tokenctl key create printed gets a token, once")
    void jwtBearerWithTheKeyFileOfKeyCreate() throws Exception {
        JsonNode keyFile = tokenctl("key", "create", serviceUserId);
        String assertion = ClientAssertions.frontierAssertion(
                ClientAssertions.privateKeyFromPem(keyFile.get("private_key").asText()),
                keyFile.get("kid").asText(), keyFile.get("principal_id").asText(), Duration.ofMinutes(5));
        Map<String, String> form = Map.of("Content-Type", "application/x-www-form-urlencoded");
        String body = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=" + assertion;

        HttpResponse<String> first = post(form, body);
        HttpResponse<String> replayed = post(form, body);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        JWTClaimsSet claims = verify(JSON.readTree(first.body()).get("access_token").asText());
        assertThat(claims.getSubject()).isEqualTo(serviceUserId);
        assertThat(claims.getStringClaim("client_id")).isEqualTo(keyFile.get("kid").asText());
        assertThat(replayed.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(replayed.body()).get("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    @DisplayName("the discovery document points at this server's own token endpoint and JWKS, over plain HTTP")
    void discoveryPointsAtThisServer() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                base.resolve("/.well-known/openid-configuration")).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode metadata = JSON.readTree(response.body());
        assertThat(metadata.get("issuer").asText()).isEqualTo("https://e2e.example.test");
        assertThat(metadata.get("token_endpoint").asText()).isEqualTo(base + "/v1beta1/auth/token");
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(metadata.get("jwks_uri").asText())).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }

    private static JWTClaimsSet verify(String token) throws Exception {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256,
                JWKSourceBuilder.create(new URL(base.resolve("/.well-known/jwks.json").toString())).build()));
        return processor.process(token, null);
    }

    private static HttpResponse<String> post(Map<String, String> headers, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/v1beta1/auth/token"))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode tokenctl(String... args) throws Exception {
        Process process = PackagedTokenCtl.process(env, List.of(args))
                .redirectError(ProcessBuilder.Redirect.PIPE).start();
        byte[] out = process.getInputStream().readAllBytes();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("tokenctl " + String.join(" ", args) + ": " + err).isZero();
        return JSON.readTree(out);
    }
}
