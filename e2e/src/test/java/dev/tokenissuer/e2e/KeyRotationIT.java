package dev.tokenissuer.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.tokenissuer.admin.AdminStore;
import dev.tokenissuer.admin.InProcessTokenCtl.Run;
import dev.tokenissuer.admin.InProcessTokenCtl;
import dev.tokenissuer.testing.CallCounter;
import dev.tokenissuer.testing.HttpApiInvoker.Response;
import dev.tokenissuer.testing.HttpApiInvoker;
import dev.tokenissuer.testing.TestCredentials;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.model.KeySpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Signing-key rotation as resource servers and clients live through it: the function (through the Lambda handler)
 * keeps issuing tokens while {@code tokenctl signing-key rotate} runs, picks the new key up without a restart, and
 * every token verifies against the published JWKS, parsed from its JSON as a resource server would.
 */
class KeyRotationIT {

    private static final String TOKEN = "/v1beta1/auth/token";
    private static final String JWKS = "/.well-known/jwks.json";
    private static final int REFRESH_SECONDS = 1;

    /** A bootstrapped deployment with a service user, and the function's view of it (keys re-read every 1 s). */
    private record Deployment(EmulatedDeployment emulated, Map<String, String> env, HttpApiInvoker api,
                              AdminStore.NewSecret secret) {

        Response token() {
            return api.post(TOKEN, Map.of("Content-Type", "application/x-www-form-urlencoded",
                    "Authorization", TestCredentials.basic(secret.clientId(), secret.clientSecret())),
                    "grant_type=client_credentials");
        }

        String accessToken() {
            Response response = token();
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            return response.json().get("access_token").asText();
        }
    }

    private final List<EmulatedDeployment> deployments = new ArrayList<>();

    @AfterEach
    void close() {
        deployments.forEach(EmulatedDeployment::close);
    }

    private Deployment deploy(KeySpec spec) {
        EmulatedDeployment emulated = new EmulatedDeployment("rotation", "token-issuer", spec);
        deployments.add(emulated);
        AdminStore.NewSecret secret = emulated.store.createSecret(
                emulated.store.createServiceUser("org-r", "rotation").id(), "");
        Map<String, String> env = new HashMap<>(emulated.environment);
        env.put("SIGNING_KEYS_REFRESH_SECONDS", Integer.toString(REFRESH_SECONDS));
        env.put("JWKS_MAX_AGE_SECONDS", "300");
        return new Deployment(emulated, env, emulated.api(env), secret);
    }

    /** Verifies as a resource server does: the key is found by kid in the JWKS JSON, the alg must be the key's. */
    private static JWTClaimsSet verify(String token, String jwksJson) throws Exception {
        JWKSet jwks = JWKSet.parse(jwksJson);
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(
                Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256, JWSAlgorithm.ES384), new ImmutableJWKSet<>(jwks)));
        return processor.process(token, null);
    }

    private static String kid(String token) {
        try {
            return SignedJWT.parse(token).getHeader().getKeyID();
        } catch (java.text.ParseException e) {
            throw new AssertionError("not a JWT: " + token, e);
        }
    }

    @Test
    @DisplayName("a rotation while requests flow: none fails, old tokens still verify, new tokens carry the new kid")
    void rotationUnderLoad() throws Exception {
        Deployment deployment = deploy(KeySpec.RSA_2048);
        String tokenBefore = deployment.accessToken();
        String oldKid = kid(tokenBefore);

        AtomicBoolean running = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> tokens = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<?>> loops = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            loops.add(clients.submit(() -> {
                while (running.get()) {
                    Response response = deployment.token();
                    if (response.status() == 200) {
                        tokens.add(response.json().get("access_token").asText());
                    } else {
                        failures.add(response.status() + " " + response.body());
                    }
                }
            }));
        }
        Run rotation;
        List<String> afterRotation = new ArrayList<>();
        try {
            Thread.sleep(500);
            // The publish lead this deployment's own timing needs (refresh + max-age); Frontier's 15-minute caches are
            // not in this test.
            rotation = InProcessTokenCtl.run(deployment.env(), "signing-key", "rotate", "--publish-lead",
                    Integer.toString(2 * REFRESH_SECONDS));
            // The function picks the moved alias up within one refresh interval; give it two.
            Thread.sleep(2000L * REFRESH_SECONDS);
            int before = tokens.size();
            Thread.sleep(1000);
            afterRotation.addAll(tokens.stream().skip(before).toList());
        } finally {
            running.set(false);
            clients.shutdown();
            assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        for (Future<?> loop : loops) {
            loop.get();
        }

        assertThat(rotation.status()).as(rotation.err()).isZero();
        String newKid = rotation.json().get("signing").get("kid").asText();
        assertThat(newKid).isNotEqualTo(oldKid);
        assertThat(failures).as("failed requests").isEmpty();
        assertThat(tokens.size()).as("tokens issued during the test").isGreaterThan(20);

        Response jwksAfter = deployment.api().get(JWKS);
        JWKSet published = JWKSet.parse(jwksAfter.body());
        assertThat(published.getKeys()).extracting(JWK::getKeyID).containsExactly(newKid, oldKid);
        assertThat(verify(tokenBefore, jwksAfter.body()).getSubject()).as("a token from before the rotation")
                .isNotBlank();
        for (String token : tokens) {
            verify(token, jwksAfter.body());
        }
        assertThat(tokens).extracting(KeyRotationIT::kid).contains(oldKid, newKid);
        assertThat(afterRotation).isNotEmpty();
        assertThat(afterRotation).extracting(KeyRotationIT::kid).containsOnly(newKid);
        assertThat(kid(deployment.accessToken())).isEqualTo(newKid);
    }

    @Test
    @DisplayName("a P-256 key issues ES256 tokens that verify against the JWKS; its JWK has public members only")
    void es256EndToEnd() throws Exception {
        Deployment deployment = deploy(KeySpec.ECC_NIST_P256);

        String token = deployment.accessToken();
        Response jwks = deployment.api().get(JWKS);

        SignedJWT jwt = SignedJWT.parse(token);
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(jwt.getSignature().decode()).as("JOSE R||S, not DER").hasSize(64);
        assertThat(verify(token, jwks.body()).getStringClaim("kid")).isEqualTo(jwt.getHeader().getKeyID());
        JsonNode key = jwks.json().get("keys").get(0);
        assertThat(key.fieldNames()).toIterable()
                .containsExactlyInAnyOrder("kty", "crv", "x", "y", "kid", "alg", "use");
        assertThat(key.get("kty").asText()).isEqualTo("EC");
        assertThat(key.get("crv").asText()).isEqualTo("P-256");
        assertThat(key.get("alg").asText()).isEqualTo("ES256");
        assertThat(key.get("use").asText()).isEqualTo("sig");
        assertThat(key.get("kid").asText()).isEqualTo(JWK.parse(key.toString()).computeThumbprint().toString());
    }

    @Test
    @DisplayName("the JWKS max-age is the refresh interval when that is shorter than JWKS_MAX_AGE_SECONDS")
    void jwksMaxAgeFitsTheRefresh() {
        Deployment deployment = deploy(KeySpec.RSA_2048);

        assertThat(deployment.api().get(JWKS).headers())
                .containsEntry("Cache-Control", "public, max-age=" + REFRESH_SECONDS);
    }

    @Test
    @DisplayName("re-reading the keys costs one GetItem per refresh interval, not per request, and no GetPublicKey")
    void refreshCostIsPerIntervalNotPerRequest() throws Exception {
        Deployment deployment = deploy(KeySpec.RSA_2048);
        deployment.accessToken();
        CallCounter kmsCalls = deployment.emulated().kmsCalls;
        CallCounter dynamoCalls = deployment.emulated().dynamoCalls;
        kmsCalls.reset();
        dynamoCalls.reset();

        long started = System.nanoTime();
        int issued = 0;
        while (System.nanoTime() - started < TimeUnit.MILLISECONDS.toNanos(3500)) {
            deployment.accessToken();
            issued++;
        }
        double seconds = (System.nanoTime() - started) / 1e9;

        // One GetItem per token, the rest are refreshes: the verification set names the signer and its kid.
        int refreshes = dynamoCalls.count("GetItem") - issued;
        assertThat(issued).isGreaterThan(10);
        assertThat(kmsCalls.count("Sign")).isEqualTo(issued);
        assertThat(refreshes).as("refreshes in %.1f s", seconds)
                .isBetween(1, (int) Math.ceil(seconds / REFRESH_SECONDS) + 1);
        assertThat(kmsCalls.snapshot().keySet()).containsOnly("Sign");
    }
}
