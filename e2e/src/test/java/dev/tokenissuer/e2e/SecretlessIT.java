package dev.tokenissuer.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tokenissuer.admin.AdminStore;
import dev.tokenissuer.testing.ClientAssertions;
import dev.tokenissuer.testing.DpopProofMaker;
import dev.tokenissuer.testing.HttpApiInvoker;
import dev.tokenissuer.testing.HttpApiInvoker.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * private_key_jwt and DPoP through the Lambda handler against the emulator, and what each combination costs in AWS
 * calls per token, counted on the wire (docs/api.md lists the figures).
 */
class SecretlessIT {

    private static final String TOKEN = "/v1beta1/auth/token";
    private static final String HOST = "abc123.execute-api.us-east-1.amazonaws.com";
    private static final String ENDPOINT = "https://" + HOST + TOKEN;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static EmulatedDeployment deployment;
    private static HttpApiInvoker api;
    private static AdminStore.NewSecret secret;
    private static String userId;
    private static RSAKey key;
    private static final ECKey HOLDER = DpopProofMaker.newKey();

    @BeforeAll
    static void provision() throws Exception {
        deployment = new EmulatedDeployment("secretless", "https://issuer.example.test");
        userId = deployment.store.createServiceUser("org-9", "secretless").id();
        secret = deployment.store.createSecret(userId, "for comparison");
        key = new RSAKeyGenerator(2048).generate();
        String kid = deployment.store.createKey(userId, "signing key", key.toPublicJWK()).kid();
        key = new RSAKey.Builder(key).keyID(kid).build();
        api = deployment.api(deployment.environment);
    }

    @AfterAll
    static void close() {
        deployment.close();
    }

    private static Map<String, String> headers(boolean dpop) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/x-www-form-urlencoded");
        headers.put("Host", HOST);
        headers.put("X-Forwarded-Proto", "https");
        if (dpop) {
            headers.put("DPoP", DpopProofMaker.proof(HOLDER, ENDPOINT));
        }
        return headers;
    }

    private static String encoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String clientAssertion() {
        Instant now = Instant.now();
        return ClientAssertions.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                new JWTClaimsSet.Builder().issuer(userId).subject(userId).audience(ENDPOINT)
                        .jwtID(UUID.randomUUID().toString()).issueTime(Date.from(now))
                        .expirationTime(Date.from(now.plusSeconds(60))).build(), key);
    }

    private static Response secret(boolean dpop) {
        return api.post(TOKEN, headers(dpop), "grant_type=client_credentials&client_id=" + secret.clientId()
                + "&client_secret=" + encoded(secret.clientSecret()));
    }

    private static Response privateKeyJwt(boolean dpop) {
        return api.post(TOKEN, headers(dpop), "grant_type=client_credentials&client_assertion_type="
                + encoded("urn:ietf:params:oauth:client-assertion-type:jwt-bearer") + "&client_assertion="
                + clientAssertion());
    }

    private static Response jwtBearer(boolean dpop) {
        String assertion = ClientAssertions.frontierAssertion(privateKey(), key.getKeyID(), userId,
                Duration.ofMinutes(5));
        return api.post(TOKEN, headers(dpop), "grant_type=" + encoded("urn:ietf:params:oauth:grant-type:jwt-bearer")
                + "&assertion=" + assertion);
    }

    private static java.security.PrivateKey privateKey() {
        try {
            return key.toPrivateKey();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The AWS calls of one token, after the container has loaded its keys. */
    private static Map<String, Integer> callsFor(Supplier<Response> request) throws Exception {
        assertThat(request.get().status()).isEqualTo(200);
        deployment.kmsCalls.reset();
        deployment.dynamoCalls.reset();
        Response response = request.get();
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        Map<String, Integer> calls = new LinkedHashMap<>(deployment.dynamoCalls.snapshot());
        calls.putAll(deployment.kmsCalls.snapshot());
        return calls;
    }

    @Test
    @DisplayName("a DPoP-bound token from private_key_jwt verifies against the JWKS and names the proof's key")
    void boundTokenVerifies() throws Exception {
        Response response = privateKeyJwt(true);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("token_type").asText()).isEqualTo("DPoP");
        JWTClaimsSet claims = EmulatedDeployment.verifyAgainstJwks(api, body.get("access_token").asText());
        assertThat(claims.getSubject()).isEqualTo(userId);
        assertThat(claims.getJSONObjectClaim("cnf"))
                .isEqualTo(Map.of("jkt", HOLDER.toPublicJWK().computeThumbprint().toString()));
        assertThat(SignedJWT.parse(body.get("access_token").asText()).getJWTClaimsSet().getStringClaim("auth_via"))
                .isEqualTo("private_key_jwt");
    }

    @Test
    @DisplayName("AWS calls per token: a secret 1 GetItem + 1 Sign; an assertion or a DPoP proof adds one PutItem each")
    void callsPerToken() throws Exception {
        assertThat(callsFor(() -> secret(false))).isEqualTo(Map.of("GetItem", 1, "Sign", 1));
        assertThat(callsFor(() -> secret(true))).isEqualTo(Map.of("GetItem", 1, "PutItem", 1, "Sign", 1));
        assertThat(callsFor(() -> privateKeyJwt(false))).isEqualTo(Map.of("GetItem", 1, "PutItem", 1, "Sign", 1));
        assertThat(callsFor(() -> privateKeyJwt(true))).isEqualTo(Map.of("GetItem", 1, "PutItem", 2, "Sign", 1));
        assertThat(callsFor(() -> jwtBearer(false))).isEqualTo(Map.of("GetItem", 1, "PutItem", 1, "Sign", 1));
        assertThat(callsFor(() -> jwtBearer(true))).isEqualTo(Map.of("GetItem", 1, "PutItem", 2, "Sign", 1));
    }

    @Test
    @DisplayName("a refused DPoP proof leaves no replay record: the client assertion it came with still works")
    void refusedProofSpendsNothing() throws Exception {
        String assertion = clientAssertion();
        Map<String, String> badProof = headers(false);
        badProof.put("DPoP", DpopProofMaker.proof(HOLDER, "https://other.example" + TOKEN));
        String body = "grant_type=client_credentials&client_assertion_type="
                + encoded("urn:ietf:params:oauth:client-assertion-type:jwt-bearer") + "&client_assertion=" + assertion;

        Response refused = api.post(TOKEN, badProof, body);
        Response retried = api.post(TOKEN, headers(true), body);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()).get("error").asText()).isEqualTo("invalid_dpop_proof");
        assertThat(retried.status()).as(retried.body()).isEqualTo(200);
    }
}
