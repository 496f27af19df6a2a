package dev.tokenissuer.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.tokenissuer.admin.AdminStore;
import dev.tokenissuer.admin.InProcessTokenCtl;
import dev.tokenissuer.store.ServiceUserState;
import dev.tokenissuer.testing.FaultProxy;
import dev.tokenissuer.testing.HttpApiInvoker.Response;
import dev.tokenissuer.testing.HttpApiInvoker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.tokenissuer.testing.ClientAssertions.frontierAssertion;
import static dev.tokenissuer.testing.ClientAssertions.privateKeyFromPem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jwt-bearer grant through the Lambda handler, against DynamoDB and KMS in the emulator, with keys made by
 * {@code tokenctl key create} and assertions made as Frontier's Go SDK makes them.
 */
class JwtBearerIT {

    private static final String TOKEN = "/v1beta1/auth/token";
    private static final String GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private static final Map<String, String> FORM = Map.of("Content-Type", "application/x-www-form-urlencoded");
    private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static EmulatedDeployment deployment;
    private static AdminStore store;
    private static HttpApiInvoker api;
    private static String serviceUserId;
    private static KeyFile keyFile;

    /** What {@code tokenctl key create} printed: Frontier's key file. */
    record KeyFile(String type, String kid, String principalId, PrivateKey privateKey) {
    }

    @BeforeAll
    static void provision() throws Exception {
        deployment = new EmulatedDeployment("jwt-bearer", "https://issuer.example.test");
        store = deployment.store;
        serviceUserId = store.createServiceUser("org-42", "assertion signer").id();
        keyFile = createKey(serviceUserId);
        api = deployment.api(deployment.environment);
    }

    @AfterAll
    static void close() {
        deployment.close();
    }

    /** Runs {@code tokenctl key create} in process and reads the key file it prints. */
    private static KeyFile createKey(String serviceUser) throws Exception {
        InProcessTokenCtl.Run run = InProcessTokenCtl.run(deployment.environment, "key", "create", serviceUser);
        assertThat(run.status()).as(run.err()).isZero();
        JsonNode file = run.json();
        return new KeyFile(file.get("type").asText(), file.get("kid").asText(), file.get("principal_id").asText(),
                privateKeyFromPem(file.get("private_key").asText()));
    }

    private static String assertion(KeyFile key) {
        return frontierAssertion(key.privateKey(), key.kid(), key.principalId(), FIVE_MINUTES);
    }

    private static Response exchange(HttpApiInvoker invoker, String assertion) {
        return invoker.post(TOKEN, FORM, "grant_type=" + GRANT + "&assertion=" + assertion);
    }

    private static Response exchange(String assertion) {
        return exchange(api, assertion);
    }

    private static JWTClaimsSet verifyAgainstJwks(String token) throws Exception {
        return EmulatedDeployment.verifyAgainstJwks(api, token);
    }

    private static void assertInvalidGrant(Response response, String description) {
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.json().get("code").asInt()).isEqualTo(16);
        assertThat(response.json().get("message").asText()).isEqualTo("not authenticated");
        assertThat(response.json().get("error").asText()).isEqualTo("invalid_grant");
        assertThat(response.json().get("error_description").asText()).isEqualTo(description);
    }

    @Test
    @DisplayName("tokenctl key create prints Frontier's key file for the service user")
    void keyFileIsFrontiers() {
        assertThat(keyFile.type()).isEqualTo("sv_rsa");
        assertThat(keyFile.principalId()).isEqualTo(serviceUserId);
        assertThat(UUID.fromString(keyFile.kid()).toString()).isEqualTo(keyFile.kid());
    }

    @Test
    @DisplayName("an assertion built as Frontier's Go SDK builds it, with the key file's private key, gets a token")
    void frontierGoSdkAssertionGetsAToken() throws Exception {
        Response response = exchange(assertion(keyFile));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.headers()).containsEntry("Cache-Control", "no-store");
        JWTClaimsSet claims = verifyAgainstJwks(response.json().get("access_token").asText());
        assertThat(claims.getSubject()).isEqualTo(serviceUserId);
        assertThat(claims.getIssuer()).isEqualTo("https://issuer.example.test");
        assertThat(claims.getStringClaim("org_ids")).isEqualTo("org-42");
        assertThat(claims.getStringClaim("client_id")).isEqualTo(keyFile.kid());
        assertThat(claims.getStringClaim("sub_type")).isEqualTo("app/serviceuser");
    }

    @Test
    @DisplayName("an assertion in a JSON body gets a token too")
    void jsonBody() {
        Response response = api.post(TOKEN, Map.of("Content-Type", "application/json"),
                "{\"grant_type\":\"" + GRANT + "\",\"assertion\":\"" + assertion(keyFile) + "\"}");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    @Test
    @DisplayName("for exactly one DynamoDB GetItem, one conditional PutItem and one KMS Sign")
    void withOneGetItemOnePutItemAndOneSign() {
        exchange(assertion(keyFile)); // the container's first use reads the signing key
        deployment.kmsCalls.reset();
        deployment.dynamoCalls.reset();

        for (int i = 0; i < 3; i++) {
            assertThat(exchange(assertion(keyFile)).status()).isEqualTo(200);
        }

        assertThat(deployment.dynamoCalls.snapshot()).isEqualTo(Map.of("GetItem", 3, "PutItem", 3));
        assertThat(deployment.kmsCalls.snapshot()).isEqualTo(Map.of("Sign", 3));
    }

    @Test
    @DisplayName("refuses an assertion used before")
    void replayedSequentially() {
        String assertion = assertion(keyFile);
        assertThat(exchange(assertion).status()).isEqualTo(200);

        assertInvalidGrant(exchange(assertion), "assertion was already used");
    }

    @Test
    @DisplayName("an assertion refused with 503 because KMS throttled the signing is still good for the client's retry")
    void retryAfterAKmsFaultGetsAToken() throws Exception {
        try (FaultProxy proxy = FaultProxy.inFrontOfEmulator()) {
            Map<String, String> env = new HashMap<>(deployment.environment);
            env.put("AWS_ENDPOINT_URL", proxy.endpoint().toString());
            env.put("AWS_CALL_TIMEOUT_MILLIS", "2000");
            HttpApiInvoker throughProxy = deployment.api(env, true);
            String assertion = assertion(keyFile);
            assertThat(exchange(throughProxy, assertion(keyFile)).status()).isEqualTo(200); // keys loaded

            proxy.throttle(FaultProxy.KMS_SIGN, -1);
            Response failed = exchange(throughProxy, assertion);
            proxy.clear();
            Response retried = exchange(throughProxy, assertion);

            assertThat(failed.status()).as(failed.body()).isEqualTo(503);
            assertThat(failed.headers()).containsEntry("Retry-After", "1");
            assertThat(retried.status()).as(retried.body()).isEqualTo(200);
            assertInvalidGrant(exchange(throughProxy, assertion), "assertion was already used");
        }
    }

    @Test
    @DisplayName("an assertion whose replay record's answer came too late is not refused by the SDK's own retry")
    void slowReplayWriteIsStillTheFirstUse() throws Exception {
        try (FaultProxy proxy = FaultProxy.inFrontOfEmulator()) {
            Map<String, String> env = new HashMap<>(deployment.environment);
            env.put("AWS_ENDPOINT_URL", proxy.endpoint().toString());
            HttpApiInvoker throughProxy = deployment.api(env, true);
            assertThat(exchange(throughProxy, assertion(keyFile)).status()).isEqualTo(200); // keys loaded

            proxy.delayAfterForwarding(FaultProxy.PUT_ITEM, java.time.Duration.ofMillis(2000), 1);
            Response response = exchange(throughProxy, assertion(keyFile));

            assertThat(response.status()).as(response.body()).isEqualTo(200);
            assertThat(proxy.calls(FaultProxy.PUT_ITEM)).isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    @DisplayName("of twenty copies of one assertion sent at once, exactly one gets a token")
    void replayedConcurrently() throws Exception {
        String assertion = assertion(keyFile);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Response>> responses = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                responses.add(pool.submit(() -> {
                    start.await();
                    return exchange(assertion);
                }));
            }
            start.countDown();
            List<Response> refused = new ArrayList<>();
            int granted = 0;
            for (Future<Response> response : responses) {
                Response answer = response.get();
                if (answer.status() == 200) {
                    granted++;
                } else {
                    refused.add(answer);
                }
            }
            assertThat(granted).isEqualTo(1);
            assertThat(refused).hasSize(19)
                    .allSatisfy(answer -> assertInvalidGrant(answer, "assertion was already used"));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("a deleted key stops working at once")
    void deletedKey() throws Exception {
        KeyFile doomed = createKey(serviceUserId);
        assertThat(exchange(assertion(doomed)).status()).isEqualTo(200);

        store.deleteKey(doomed.kid());

        assertInvalidGrant(exchange(assertion(doomed)), "assertion is not signed by a registered key");
    }

    @Test
    @DisplayName("a disabled service user's correct assertion is 403, and works again once enabled")
    void disabledServiceUser() throws Exception {
        String user = store.createServiceUser("org-7", "to be disabled").id();
        KeyFile key = createKey(user);

        store.setState(user, ServiceUserState.DISABLED);
        Response disabled = exchange(assertion(key));
        store.setState(user, ServiceUserState.ENABLED);
        Response enabled = exchange(assertion(key));

        assertThat(disabled.status()).isEqualTo(403);
        assertThat(disabled.json().get("code").asInt()).isEqualTo(7);
        assertThat(disabled.body()).doesNotContain("access_token");
        assertThat(enabled.status()).isEqualTo(200);
    }

    @Test
    @DisplayName("refuses one of our own access tokens presented as an assertion")
    void ownAccessToken() {
        String accessToken = exchange(assertion(keyFile)).json().get("access_token").asText();

        assertInvalidGrant(exchange(accessToken), "an access token is not an assertion");
    }

    @Test
    @DisplayName("accepts Frontier's Go SDK validity of 12 hours by default; beyond ASSERTION_MAX_LIFETIME_SECONDS, refuses")
    void twelveHourAssertions() {
        Map<String, String> strict = new HashMap<>(deployment.environment);
        strict.put("ASSERTION_MAX_LIFETIME_SECONDS", "3600");

        assertThat(exchange(frontierAssertion(keyFile.privateKey(), keyFile.kid(), keyFile.principalId(),
                Duration.ofHours(12))).status()).isEqualTo(200);
        assertInvalidGrant(exchange(api, frontierAssertion(keyFile.privateKey(), keyFile.kid(),
                keyFile.principalId(), Duration.ofHours(13))), "assertion lifetime is too long");
        assertInvalidGrant(exchange(deployment.api(strict), frontierAssertion(keyFile.privateKey(), keyFile.kid(),
                keyFile.principalId(), Duration.ofHours(12))), "assertion lifetime is too long");
    }

    @Test
    @DisplayName("neither answers nor logs echo any part of an assertion")
    void echoesNothing() {
        String assertion = assertion(keyFile);
        String[] parts = assertion.split("\\.");
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        List<Response> responses = new ArrayList<>();
        try {
            HttpApiInvoker logged = deployment.api(deployment.environment);
            responses.add(exchange(logged, assertion));
            responses.add(exchange(logged, assertion));
            responses.add(exchange(logged, parts[0] + "." + parts[1] + ".AAAA"));
            responses.add(exchange(logged, parts[0] + "." + parts[1]));
        } finally {
            System.setOut(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);

        assertThat(log).contains("\"status\":200").contains("\"status\":401");
        for (String part : parts) {
            assertThat(log).doesNotContain(part);
            assertThat(responses.subList(1, responses.size())).allSatisfy(r -> assertThat(r.body()).doesNotContain(part));
        }
        assertThat(log).doesNotContain(responses.get(0).json().get("access_token").asText());
    }
}
