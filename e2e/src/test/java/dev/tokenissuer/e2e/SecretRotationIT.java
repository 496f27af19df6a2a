package dev.tokenissuer.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenissuer.admin.AdminStore;
import dev.tokenissuer.admin.ClientSecretDocument;
import dev.tokenissuer.admin.InProcessTokenCtl;
import dev.tokenissuer.aws.AwsClients;
import dev.tokenissuer.rotation.ClientSecretRotation;
import dev.tokenissuer.rotation.RotationLog;
import dev.tokenissuer.rotation.RotationRefused;
import dev.tokenissuer.rotation.SecretRotationHandler;
import dev.tokenissuer.store.DynamoCredentialStore;
import dev.tokenissuer.testing.AwsEmulator;
import dev.tokenissuer.testing.HttpApiInvoker;
import dev.tokenissuer.testing.HttpApiInvoker.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Client secrets delivered to and rotated in the emulator's Secrets Manager: tokenctl writes the secret, the
 * rotation function's handler runs the events the emulator's RotateSecret records (as Secrets Manager would send
 * them), and tokens are fetched through the Lambda handler with the current and the previous version.
 */
class SecretRotationIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "/v1beta1/auth/token";
    private static final String ENDPOINT = "https://auth.example.test" + TOKEN;
    private static final Map<String, String> FORM = Map.of("Content-Type", "application/x-www-form-urlencoded");
    private static final String FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:token-issuer-rotation";
    private static final Duration OVERLAP = Duration.ofSeconds(20);

    private static EmulatedDeployment deployment;
    private static HttpApiInvoker api;
    private static SecretsManagerClient secrets;
    private static final ByteArrayOutputStream rotationLog = new ByteArrayOutputStream();
    private static SecretRotationHandler handler;

    @BeforeAll
    static void provision() {
        deployment = new EmulatedDeployment("rotation", "https://issuer.example.test");
        api = deployment.api(deployment.environment);
        secrets = AwsClients.configure(SecretsManagerClient.builder(), AwsClients.httpClient(Duration.ofSeconds(10)),
                Duration.ofSeconds(10), Optional.of(AwsEmulator.endpoint())).build();
        String table = deployment.environment.get("TABLE_NAME");
        // The log goes to the test's output too: the report shows a whole rotation.
        PrintStream both = new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                rotationLog.write(b);
                System.out.write(b);
            }
        }, true, StandardCharsets.UTF_8);
        RotationLog log = new RotationLog(both, Clock.systemUTC());
        handler = new SecretRotationHandler(new ClientSecretRotation(secrets,
                new AdminStore(deployment.dynamo, table, Clock.systemUTC()),
                new DynamoCredentialStore(deployment.dynamo, table), OVERLAP, Clock.systemUTC(), log), log);
    }

    @AfterAll
    static void close() {
        secrets.close();
        deployment.close();
    }

    private static InProcessTokenCtl.Run run(String... args) {
        return InProcessTokenCtl.run(deployment.environment, args);
    }

    private static JsonNode tokenctl(String... args) {
        InProcessTokenCtl.Run run = run(args);
        assertThat(run.status()).as(run.err()).isZero();
        return run.json();
    }

    private static ClientSecretDocument version(String name, String stage) {
        return ClientSecretDocument.parse(secrets.getSecretValue(r -> r.secretId(name).versionStage(stage))
                .secretString()).orElseThrow();
    }

    private static Response token(ClientSecretDocument document) {
        return api.post(TOKEN, FORM, "grant_type=client_credentials&client_id=" + document.clientId()
                + "&client_secret=" + URLEncoder.encode(document.clientSecret(), StandardCharsets.UTF_8));
    }

    /** The events the emulator's RotateSecret recorded for this version, as Secrets Manager would send them. */
    private static List<Map<String, Object>> events(String arn, String versionId) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(AwsEmulator.endpoint() + "/_emulator/secretsmanager/rotation-events")).build(),
                HttpResponse.BodyHandlers.ofString());
        List<Map<String, Object>> events = new ArrayList<>();
        for (JsonNode recorded : JSON.readTree(response.body())) {
            JsonNode event = recorded.get("Event");
            if (event.get("SecretId").asText().equals(arn)
                    && event.get("ClientRequestToken").asText().equals(versionId)) {
                events.add(JSON.convertValue(event, Map.class));
            }
        }
        return events;
    }

    private static void runAll(List<Map<String, Object>> events) {
        events.forEach(event -> handler.handleRequest(event, null));
    }

    private static Map<String, Object> step(List<Map<String, Object>> events, String step) {
        return events.stream().filter(event -> step.equals(event.get("Step"))).findFirst().orElseThrow();
    }

    /** What the log may show of a token: its claims that say who got it, never the token. */
    private static String shown(Response response) throws Exception {
        var claims = EmulatedDeployment.verifyAgainstJwks(api, response.json().get("access_token").asText());
        return "{sub=" + claims.getSubject() + ", client_id=" + claims.getStringClaim("client_id") + ", jti="
                + claims.getJWTID() + ", exp=" + claims.getExpirationTime().toInstant() + "}";
    }

    private static int secretCount(String user) {
        return tokenctl("secret", "list", user).get("secrets").size();
    }

    @Test
    @DisplayName("secret create --to-secrets-manager stores the client's JSON as the current version and prints only the ARN and client id")
    void deliversToSecretsManager() {
        String user = tokenctl("serviceuser", "create", "--org", "org-r", "--title", "delivered").get("id").asText();
        String name = "token-issuer/delivered-" + UUID.randomUUID();

        InProcessTokenCtl.Run delivered = run("secret", "create", user, "--to-secrets-manager", name,
                "--token-endpoint", ENDPOINT);
        assertThat(delivered.status()).as(delivered.err()).isZero();
        assertThat(delivered.json().fieldNames()).toIterable().containsExactly("arn", "client_id");
        ClientSecretDocument current = version(name, "AWSCURRENT");
        assertThat(delivered.out()).doesNotContain(current.clientSecret());
        assertThat(current.clientId()).isEqualTo(delivered.json().get("client_id").asText());
        assertThat(current.tokenEndpoint()).isEqualTo(ENDPOINT);
        assertThat(token(current).status()).isEqualTo(200);

        JsonNode again = tokenctl("secret", "create", user, "--to-secrets-manager", name, "--token-endpoint",
                ENDPOINT, "--kms-key-id", "alias/aws/secretsmanager");
        assertThat(again.get("arn").asText()).isEqualTo(delivered.json().get("arn").asText());
        assertThat(version(name, "AWSCURRENT").clientId()).isEqualTo(again.get("client_id").asText());
        assertThat(version(name, "AWSPREVIOUS").clientId()).isEqualTo(current.clientId());

        InProcessTokenCtl.Run noEndpoint = run("secret", "create", user, "--to-secrets-manager", name);
        assertThat(noEndpoint.status()).isEqualTo(2);
        assertThat(noEndpoint.err()).contains("--token-endpoint URL is required when PUBLIC_BASE_URL is not set");
        assertThat(secretCount(user)).isEqualTo(2);
    }

    @Test
    @DisplayName("a full rotation: the four steps make a new current client secret, and both versions get tokens during the overlap; the previous one is refused after it")
    void fullRotationWithOverlap() throws Exception {
        String user = tokenctl("serviceuser", "create", "--org", "org-r", "--title", "rotated").get("id").asText();
        String name = "token-issuer/rotated-" + UUID.randomUUID();
        String arn = tokenctl("secret", "create", user, "--to-secrets-manager", name, "--token-endpoint", ENDPOINT)
                .get("arn").asText();
        ClientSecretDocument first = version(name, "AWSCURRENT");

        InProcessTokenCtl.Run noFunction = run("secret", "rotate", "--secrets-manager", name);
        assertThat(noFunction.status()).isEqualTo(1);
        assertThat(noFunction.err()).contains("has no rotation function");

        // What the template's RotationSchedule does: attach the function, which starts the first rotation.
        String versionId = secrets.rotateSecret(r -> r.secretId(name).rotationLambdaARN(FUNCTION)
                .rotationRules(rules -> rules.automaticallyAfterDays(30L))).versionId();
        List<Map<String, Object>> events = events(arn, versionId);
        assertThat(events).extracting(event -> event.get("Step"))
                .containsExactly("createSecret", "setSecret", "testSecret", "finishSecret");
        System.out.println("--- rotation of " + arn + " to version " + versionId);
        runAll(events);
        Instant finished = Instant.now();

        ClientSecretDocument current = version(name, "AWSCURRENT");
        ClientSecretDocument previous = version(name, "AWSPREVIOUS");
        assertThat(current.clientId()).isNotEqualTo(first.clientId());
        assertThat(previous).isEqualTo(first);
        assertThat(current.tokenEndpoint()).isEqualTo(ENDPOINT);
        assertThat(secrets.describeSecret(r -> r.secretId(name)).versionIdsToStages().get(versionId))
                .containsExactly("AWSCURRENT");

        Response withCurrent = token(current);
        Response withPrevious = token(previous);
        System.out.println("--- during the overlap: AWSCURRENT got " + withCurrent.status() + " "
                + shown(withCurrent) + "; AWSPREVIOUS got " + withPrevious.status() + " " + shown(withPrevious));
        assertThat(withCurrent.status()).isEqualTo(200);
        assertThat(withPrevious.status()).isEqualTo(200);
        JsonNode listed = tokenctl("secret", "list", user).get("secrets");
        assertThat(listed).hasSize(2);
        for (JsonNode secret : listed) {
            if (secret.get("client_id").asText().equals(previous.clientId())) {
                assertThat(Instant.parse(secret.get("valid_until").asText()))
                        .isBetween(finished.plus(OVERLAP).minusSeconds(10), finished.plus(OVERLAP).plusSeconds(1));
            } else {
                assertThat(secret.get("valid_until").isNull()).isTrue();
            }
        }

        // Secrets Manager may run a step again: nothing changes, no second credential.
        runAll(events);
        assertThat(secretCount(user)).isEqualTo(2);
        assertThat(version(name, "AWSCURRENT")).isEqualTo(current);

        Thread.sleep(Math.max(0, Duration.between(Instant.now(), finished.plus(OVERLAP).plusSeconds(1)).toMillis()));
        Response afterOverlap = token(previous);
        System.out.println("--- after the overlap: AWSPREVIOUS got " + afterOverlap.status() + " "
                + afterOverlap.json().get("error").asText() + "; AWSCURRENT got " + token(current).status());
        assertThat(afterOverlap.status()).isEqualTo(401);
        assertThat(token(current).status()).isEqualTo(200);
    }

    @Test
    @DisplayName("steps out of order or repeated make no second credential and lose nothing; tokenctl secret rotate starts the next rotation")
    void stepsOutOfOrder() throws Exception {
        String user = tokenctl("serviceuser", "create", "--org", "org-r", "--title", "disorder").get("id").asText();
        String name = "token-issuer/disorder-" + UUID.randomUUID();
        String arn = tokenctl("secret", "create", user, "--to-secrets-manager", name, "--token-endpoint", ENDPOINT)
                .get("arn").asText();
        String firstRotation = secrets.rotateSecret(r -> r.secretId(name).rotationLambdaARN(FUNCTION)).versionId();
        runAll(events(arn, firstRotation));
        ClientSecretDocument current = version(name, "AWSCURRENT");

        JsonNode started = tokenctl("secret", "rotate", "--secrets-manager", name);
        String versionId = started.get("pending_version_id").asText();
        List<Map<String, Object>> events = events(arn, versionId);

        assertThatThrownBy(() -> handler.handleRequest(step(events, "finishSecret"), null))
                .isInstanceOf(RotationRefused.class).hasMessageContaining("createSecret has not run");
        assertThatThrownBy(() -> handler.handleRequest(step(events, "testSecret"), null))
                .isInstanceOf(RotationRefused.class).hasMessageContaining("createSecret has not run");
        assertThat(version(name, "AWSCURRENT")).isEqualTo(current);
        assertThat(secretCount(user)).isEqualTo(2);

        handler.handleRequest(step(events, "createSecret"), null);
        handler.handleRequest(step(events, "createSecret"), null);
        assertThat(secretCount(user)).isEqualTo(3);
        assertThat(version(name, "AWSCURRENT")).isEqualTo(current);
        ClientSecretDocument pending = ClientSecretDocument.parse(secrets.getSecretValue(r -> r.secretId(name)
                .versionId(versionId).versionStage("AWSPENDING")).secretString()).orElseThrow();
        assertThat(token(pending).status()).as("the pending secret works before it is current").isEqualTo(200);

        handler.handleRequest(step(events, "testSecret"), null);
        handler.handleRequest(step(events, "finishSecret"), null);
        handler.handleRequest(step(events, "finishSecret"), null);
        handler.handleRequest(step(events, "createSecret"), null);
        assertThat(secretCount(user)).isEqualTo(3);
        assertThat(version(name, "AWSCURRENT")).isEqualTo(pending);
        assertThat(version(name, "AWSPREVIOUS")).isEqualTo(current);
        assertThat(token(current).status()).isEqualTo(200);
        assertThat(token(pending).status()).isEqualTo(200);
    }

    @Test
    @DisplayName("a secret that does not hold this project's JSON is refused at every step and left as it was")
    void refusesForeignSecrets() throws Exception {
        String name = "someone-elses-" + UUID.randomUUID();
        String arn = secrets.createSecret(r -> r.name(name).secretString("{\"username\":\"db\",\"password\":\"x\"}"))
                .arn();
        String versionId = secrets.rotateSecret(r -> r.secretId(name).rotationLambdaARN(FUNCTION)).versionId();
        for (Map<String, Object> event : events(arn, versionId)) {
            if (!"setSecret".equals(event.get("Step"))) {
                assertThatThrownBy(() -> handler.handleRequest(event, null)).isInstanceOf(RotationRefused.class);
            }
        }
        assertThat(secrets.getSecretValue(r -> r.secretId(name)).secretString())
                .isEqualTo("{\"username\":\"db\",\"password\":\"x\"}");
        assertThat(rotationLog.toString(StandardCharsets.UTF_8)).contains("does not hold token-issuer client"
                + " credentials").doesNotContain("\"password\"");
    }
}
