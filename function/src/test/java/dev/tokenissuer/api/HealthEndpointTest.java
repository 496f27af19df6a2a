package dev.tokenissuer.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWK;
import dev.tokenissuer.http.Endpoints;
import dev.tokenissuer.http.HttpResponse;
import dev.tokenissuer.signing.SigningKey;
import dev.tokenissuer.signing.SigningKeys;
import dev.tokenissuer.signing.SigningReadiness;
import dev.tokenissuer.store.ServiceUserState;
import dev.tokenissuer.testing.FakeCredentialStore;
import dev.tokenissuer.testing.Requests;
import dev.tokenissuer.testing.TestApis;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class HealthEndpointTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final FakeCredentialStore store = new FakeCredentialStore().withDemoCredential(ServiceUserState.ENABLED);

    private static SigningKeys reporting(SigningReadiness readiness) {
        return new SigningKeys() {
            @Override
            public SigningKey signingKey() {
                throw new IllegalStateException("the health check must not sign");
            }

            @Override
            public List<JWK> verificationKeys() {
                throw new IllegalStateException("the health check must not read the JWKS");
            }

            @Override
            public SigningReadiness readiness() {
                return readiness;
            }
        };
    }

    @Test
    @DisplayName("GET /health is 200 while the function can sign, never cached")
    void healthy() throws Exception {
        Instant loaded = Instant.parse("2026-12-07T22:00:00Z");
        TokenIssuerApi api = TestApis.create(store,
                reporting(SigningReadiness.ready(loaded, Optional.of(loaded.plusSeconds(5)))), RequestLog.none());
        HttpResponse response = api.handle(Requests.get(Endpoints.HEALTH_PATH).build());
        JsonNode body = JSON.readTree(response.body());
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers().get("Cache-Control")).isEqualTo("no-store");
        assertThat(body.get("status").asText()).isEqualTo("ok");
        assertThat(body.get("keys_loaded_at").asText()).isEqualTo("2026-12-07T22:00:00Z");
        assertThat(body.get("kms_signed_at").asText()).isEqualTo("2026-12-07T22:00:05Z");
        assertThat(body.has("problem")).isFalse();
    }

    @Test
    @DisplayName("GET /health is 503 with the reason when the function cannot sign, so Route 53 fails the region over")
    void unhealthy() throws Exception {
        TokenIssuerApi api = TestApis.create(store, reporting(SigningReadiness.notReady(
                "the table has not answered a key refresh for 95 s", Optional.empty(), Optional.empty())),
                RequestLog.none());
        HttpResponse response = api.handle(Requests.get(Endpoints.HEALTH_PATH).build());
        JsonNode body = JSON.readTree(response.body());
        assertThat(response.status()).isEqualTo(503);
        assertThat(body.get("status").asText()).isEqualTo("unavailable");
        assertThat(body.get("problem").asText()).contains("the table has not answered");
    }

    @Test
    @DisplayName("POST /health is 405 with Allow: GET")
    void onlyGet() {
        TokenIssuerApi api = TestApis.create(store, reporting(SigningReadiness.ready(Instant.EPOCH, Optional.empty())),
                RequestLog.none());
        HttpResponse response = api.handle(Requests.post(Endpoints.HEALTH_PATH).build());
        assertThat(response.status()).isEqualTo(405);
        assertThat(response.headers().get("Allow")).isEqualTo("GET");
    }
}
