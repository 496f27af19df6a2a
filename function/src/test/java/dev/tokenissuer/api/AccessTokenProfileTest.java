package dev.tokenissuer.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.tokenissuer.config.IssuerConfig;
import dev.tokenissuer.grant.JwtBearerGrant;
import dev.tokenissuer.http.Endpoints;
import dev.tokenissuer.http.HttpResponse;
import dev.tokenissuer.lambda.TokenIssuerApplication;
import dev.tokenissuer.store.AllowedAccess;
import dev.tokenissuer.store.ClientSecretCredential;
import dev.tokenissuer.store.PublicKeyCredential;
import dev.tokenissuer.store.SecretHasher;
import dev.tokenissuer.store.ServiceUserState;
import dev.tokenissuer.testing.ClientAssertions;
import dev.tokenissuer.testing.FakeCredentialStore;
import dev.tokenissuer.testing.InMemoryReplayGuard;
import dev.tokenissuer.testing.LocalSigningKeys;
import dev.tokenissuer.testing.Requests;
import dev.tokenissuer.testing.TestApis;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ACCESS_TOKEN_PROFILE through the whole API: today's tokens by default, RFC 9068's when asked. */
class AccessTokenProfileTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER = "0b6f3f0e-1c2d-4e5f-8a9b-0c1d2e3f4a5b";
    private static final String ORG = "org-42";
    private static final String CLIENT_ID = "5e0ad0a4-8b7c-4c8e-9f0e-2b7f3c1d6a90";
    private static final String SECRET = "cHJvZmlsZS10ZXN0LXNlY3JldC1ub3QtZm9yLXByb2R1Y3Rpb24";
    private static final String KID = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
    private static final String ORDERS = "https://orders.example.com";
    private static final AllowedAccess ALLOWED = new AllowedAccess(List.of("orders:read"), List.of(ORDERS));
    private static final RSAKey ASSERTION_KEY = rsa();
    private static final LocalSigningKeys SIGNING = LocalSigningKeys.rsa();

    private final FakeCredentialStore store = new FakeCredentialStore()
            .with(new ClientSecretCredential(CLIENT_ID, USER, ORG, ServiceUserState.ENABLED, SecretHasher.hash(SECRET),
                    ALLOWED))
            .with(new PublicKeyCredential(KID, USER, ORG, ServiceUserState.ENABLED, ASSERTION_KEY.toPublicJWK(),
                    ALLOWED));
    private final InMemoryReplayGuard replayGuard = new InMemoryReplayGuard();

    private TokenIssuerApi api(Map<String, String> settings) {
        Map<String, String> env = new HashMap<>(Map.of("TOKEN_ISSUER", TestApis.ISSUER));
        env.putAll(settings);
        return TokenIssuerApplication.wire(IssuerConfig.from(env),
                new TokenIssuerApplication.Backends(store, replayGuard, SIGNING, Clock.systemUTC()),
                RequestLog.none()).api();
    }

    private static HttpResponse clientCredentials(TokenIssuerApi api, String extra) {
        return api.handle(Requests.post(Endpoints.TOKEN_PATH).form("grant_type=client_credentials&client_id="
                + CLIENT_ID + "&client_secret=" + SECRET + extra).build());
    }

    private static HttpResponse jwtBearer(TokenIssuerApi api) {
        var claims = ClientAssertions.frontierClaims(KID, USER, Instant.now(), Duration.ofMinutes(5)).build();
        String assertion = ClientAssertions.sign(ClientAssertions.frontierHeader(KID).build(), claims, ASSERTION_KEY);
        return api.handle(Requests.post(Endpoints.TOKEN_PATH).form("grant_type="
                + URLEncoder.encode(JwtBearerGrant.GRANT_TYPE, StandardCharsets.UTF_8) + "&assertion=" + assertion)
                .build());
    }

    private static SignedJWT token(HttpResponse response) throws Exception {
        JsonNode body = JSON.readTree(response.body());
        assertThat(response.status()).as(body.toString()).isEqualTo(200);
        return SignedJWT.parse(body.get("access_token").asText());
    }

    @Test
    @DisplayName("by default a token is today's: typ JWT, and no aud when neither a resource nor TOKEN_AUDIENCE names one")
    void defaultIsTodaysToken() throws Exception {
        SignedJWT jwt = token(clientCredentials(api(Map.of()), ""));

        assertThat(jwt.getHeader().getType()).isEqualTo(JOSEObjectType.JWT);
        assertThat(jwt.getJWTClaimsSet().getAudience()).isEmpty();
    }

    @Test
    @DisplayName("rfc9068: typ at+jwt, aud the requested resource, and RFC 9068's iss, exp, sub, client_id, iat, jti "
            + "beside Frontier's claims")
    void rfc9068Token() throws Exception {
        SignedJWT jwt = token(clientCredentials(api(Map.of("ACCESS_TOKEN_PROFILE", "rfc9068")),
                "&resource=" + URLEncoder.encode(ORDERS, StandardCharsets.UTF_8)));

        assertThat(jwt.getHeader().getType()).isEqualTo(new JOSEObjectType("at+jwt"));
        assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly(ORDERS);
        assertThat(jwt.getJWTClaimsSet().getClaims()).containsKeys("iss", "exp", "sub", "client_id", "iat", "jti",
                "gen", "sub_type", "org_ids", "auth_via");
        assertThat(jwt.getJWTClaimsSet().getStringClaim("client_id")).isEqualTo(CLIENT_ID);
        assertThat(jwt.verify(new com.nimbusds.jose.crypto.RSASSAVerifier(SIGNING.publicJwk().toRSAKey()))).isTrue();
    }

    @Test
    @DisplayName("rfc9068 with TOKEN_AUDIENCE: a request without resource gets the configured default as aud")
    void rfc9068DefaultAudience() throws Exception {
        SignedJWT jwt = token(clientCredentials(api(Map.of("ACCESS_TOKEN_PROFILE", "rfc9068",
                "TOKEN_AUDIENCE", "https://api.example.com")), ""));

        assertThat(jwt.getHeader().getType()).isEqualTo(new JOSEObjectType("at+jwt"));
        assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly("https://api.example.com");
    }

    @Test
    @DisplayName("rfc9068 without TOKEN_AUDIENCE: a request naming no resource is 400 invalid_target, before any "
            + "credential is read or assertion spent")
    void rfc9068WithoutAnyAudienceIsRefused() throws Exception {
        TokenIssuerApi api = api(Map.of("ACCESS_TOKEN_PROFILE", "rfc9068"));

        for (HttpResponse response : List.of(clientCredentials(api, ""), jwtBearer(api))) {
            JsonNode body = JSON.readTree(response.body());
            assertThat(response.status()).isEqualTo(400);
            assertThat(body.get("error").asText()).isEqualTo("invalid_target");
            assertThat(body.get("error_description").asText()).contains("RFC 9068").contains("resource");
            assertThat(body.has("access_token")).isFalse();
        }
        assertThat(store.lookups()).isEmpty();
        assertThat(replayGuard.attempts()).isEmpty();
    }

    @Test
    @DisplayName("Nimbus's default JWT processor (which Spring's decoders use) refuses an at+jwt token and accepts "
            + "the default profile's; told to expect at+jwt, it accepts the RFC 9068 token")
    void nimbusDefaultProcessorWantsTheDefaultProfile() throws Exception {
        SignedJWT frontier = token(clientCredentials(api(Map.of()), ""));
        SignedJWT rfc9068 = token(clientCredentials(api(Map.of("ACCESS_TOKEN_PROFILE", "rfc9068",
                "TOKEN_AUDIENCE", "https://api.example.com")), ""));
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256,
                new ImmutableJWKSet<>(new JWKSet(SIGNING.publicJwk()))));

        assertThat(processor.process(frontier, null).getSubject()).isEqualTo(USER);
        assertThatThrownBy(() -> processor.process(rfc9068, null)).isInstanceOf(BadJOSEException.class)
                .hasMessageContaining("type");
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
        assertThat(processor.process(rfc9068, null).getSubject()).isEqualTo(USER);
    }

    @Test
    @DisplayName("ACCESS_TOKEN_PROFILE other than frontier or rfc9068 is refused at start, naming the setting")
    void unknownProfileIsRefused() {
        assertThat(IssuerConfig.from(Map.of()).accessTokenProfile()).isEqualTo("frontier");
        assertThat(IssuerConfig.from(Map.of("ACCESS_TOKEN_PROFILE", "RFC9068")).accessTokenProfile())
                .isEqualTo("rfc9068");
        assertThatThrownBy(() -> IssuerConfig.from(Map.of("ACCESS_TOKEN_PROFILE", "at+jwt")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ACCESS_TOKEN_PROFILE");
    }

    private static RSAKey rsa() {
        try {
            return new RSAKeyGenerator(2048).keyID(KID).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
