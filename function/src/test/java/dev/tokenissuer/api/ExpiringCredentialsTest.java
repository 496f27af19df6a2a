package dev.tokenissuer.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.tokenissuer.grant.JwtBearerGrant;
import dev.tokenissuer.http.Endpoints;
import dev.tokenissuer.http.HttpResponse;
import dev.tokenissuer.observability.JsonLinesRequestLog;
import dev.tokenissuer.store.AllowedAccess;
import dev.tokenissuer.store.ClientSecretCredential;
import dev.tokenissuer.store.PublicKeyCredential;
import dev.tokenissuer.store.SecretHasher;
import dev.tokenissuer.store.ServiceUserState;
import dev.tokenissuer.testing.FakeCredentialStore;
import dev.tokenissuer.testing.LocalSigningKeys;
import dev.tokenissuer.testing.Requests;
import dev.tokenissuer.testing.TestApis;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static dev.tokenissuer.testing.ClientAssertions.frontierClaims;
import static dev.tokenissuer.testing.ClientAssertions.frontierHeader;
import static dev.tokenissuer.testing.ClientAssertions.sign;
import static dev.tokenissuer.testing.TestCredentials.ORG_ID;
import static dev.tokenissuer.testing.TestCredentials.SERVICE_USER_ID;
import static dev.tokenissuer.testing.TestCredentials.basic;
import static org.assertj.core.api.Assertions.assertThat;

/** Credentials that expire: refused once expired, with their own audit reason; the audit line says when. */
class ExpiringCredentialsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EXPIRED_CLIENT = "1a2b3c4d-0000-4000-8000-0000000e0001";
    private static final String LIVE_CLIENT = "1a2b3c4d-0000-4000-8000-0000000e0002";
    private static final String SECRET = "expiring-credentials-own-secret-0123456789";
    private static final String EXPIRED_KID = "7d1b2c3d-0000-4000-8000-0000000e0003";
    private static final Instant PAST = Instant.now().minus(Duration.ofMinutes(1)).truncatedTo(
            java.time.temporal.ChronoUnit.SECONDS);
    private static final Instant FUTURE = Instant.now().plus(Duration.ofDays(10)).truncatedTo(
            java.time.temporal.ChronoUnit.SECONDS);
    private static final RSAKey RSA = rsa();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final FakeCredentialStore store = new FakeCredentialStore()
            .with(new ClientSecretCredential(EXPIRED_CLIENT, SERVICE_USER_ID, ORG_ID, ServiceUserState.ENABLED,
                    SecretHasher.hash(SECRET), AllowedAccess.NONE, Optional.of(PAST)))
            .with(new ClientSecretCredential(LIVE_CLIENT, SERVICE_USER_ID, ORG_ID, ServiceUserState.ENABLED,
                    SecretHasher.hash(SECRET), AllowedAccess.NONE, Optional.of(FUTURE)))
            .with(new PublicKeyCredential(EXPIRED_KID, SERVICE_USER_ID, ORG_ID, ServiceUserState.ENABLED,
                    RSA.toPublicJWK(), AllowedAccess.NONE, Optional.of(PAST)));
    private final TokenIssuerApi api = TestApis.create(store, LocalSigningKeys.rsa(),
            new JsonLinesRequestLog(new PrintStream(out, true, StandardCharsets.UTF_8)));

    private static RSAKey rsa() {
        try {
            return new RSAKeyGenerator(2048).keyID(EXPIRED_KID).generate();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse withSecret(String clientId, String secret) {
        return api.handle(Requests.post(Endpoints.TOKEN_PATH).header("Authorization", basic(clientId, secret))
                .form("grant_type=client_credentials").build());
    }

    private JsonNode lastAuditLine() throws Exception {
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines()
                .filter(line -> line.contains("\"token_request\"")).toList();
        return JSON.readTree(lines.get(lines.size() - 1));
    }

    @Test
    @DisplayName("an expired client secret gets 401 invalid_client, and the audit line says credential_expired")
    void expiredSecret() throws Exception {
        HttpResponse response = withSecret(EXPIRED_CLIENT, SECRET);

        assertThat(response.status()).isEqualTo(401);
        assertThat(JSON.readTree(response.body()).get("error").asText()).isEqualTo("invalid_client");
        assertThat(lastAuditLine().get("reason").asText()).isEqualTo("credential_expired");
    }

    @Test
    @DisplayName("a wrong secret for an expired client is a bad secret: only the holder learns that it expired")
    void wrongSecretOfAnExpiredClient() throws Exception {
        HttpResponse response = withSecret(EXPIRED_CLIENT, SECRET + "x");

        assertThat(response.status()).isEqualTo(401);
        assertThat(lastAuditLine().get("reason").asText()).isEqualTo("bad_secret");
    }

    @Test
    @DisplayName("a secret before its expiry gets a token, and the audit line says when the secret expires")
    void liveSecret() throws Exception {
        HttpResponse response = withSecret(LIVE_CLIENT, SECRET);

        assertThat(response.status()).isEqualTo(200);
        assertThat(lastAuditLine().get("credential_valid_until").asLong()).isEqualTo(FUTURE.getEpochSecond());
    }

    @Test
    @DisplayName("an assertion signed by an expired key gets 401 invalid_client, credential_expired")
    void expiredKey() throws Exception {
        String assertion = sign(frontierHeader(EXPIRED_KID).build(),
                frontierClaims(EXPIRED_KID, SERVICE_USER_ID, Instant.now(), Duration.ofMinutes(5)).build(), RSA);
        HttpResponse response = api.handle(Requests.post(Endpoints.TOKEN_PATH).form("grant_type="
                + URLEncoder.encode(JwtBearerGrant.GRANT_TYPE, StandardCharsets.UTF_8) + "&assertion=" + assertion)
                .build());

        assertThat(response.status()).isEqualTo(401);
        assertThat(JSON.readTree(response.body()).get("error").asText()).isEqualTo("invalid_client");
        assertThat(lastAuditLine().get("reason").asText()).isEqualTo("credential_expired");
    }
}
