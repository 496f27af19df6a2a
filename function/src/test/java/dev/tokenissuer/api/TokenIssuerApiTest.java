package dev.tokenissuer.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.SignedJWT;
import dev.tokenissuer.http.Endpoints;
import dev.tokenissuer.http.HttpResponse;
import dev.tokenissuer.signing.SigningKey;
import dev.tokenissuer.signing.SigningKeys;
import dev.tokenissuer.store.ServiceUserState;
import dev.tokenissuer.testing.FakeCredentialStore;
import dev.tokenissuer.testing.LocalSigningKeys;
import dev.tokenissuer.testing.Requests;
import dev.tokenissuer.testing.TestApis;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.exception.SdkClientException;

import java.util.List;
import java.util.Set;

import static dev.tokenissuer.testing.TestCredentials.CLIENT_ID;
import static dev.tokenissuer.testing.TestCredentials.CLIENT_SECRET;
import static dev.tokenissuer.testing.TestCredentials.SERVICE_USER_ID;
import static dev.tokenissuer.testing.TestCredentials.basic;
import static org.assertj.core.api.Assertions.assertThat;

class TokenIssuerApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = Endpoints.TOKEN_PATH;

    private final FakeCredentialStore store = new FakeCredentialStore().withDemoCredential(ServiceUserState.ENABLED);
    private final LocalSigningKeys keys = LocalSigningKeys.rsa();
    private final TokenIssuerApi api = TestApis.create(store, keys, RequestLog.none());

    private static JsonNode body(HttpResponse response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static Requests basicTokenRequest() {
        return Requests.post(TOKEN).header("Authorization", basic(CLIENT_ID, CLIENT_SECRET))
                .form("grant_type=client_credentials");
    }

    @Test
    @DisplayName("issues a token: 200, Bearer, expires_in, not cacheable")
    void success() throws Exception {
        HttpResponse response = api.handle(basicTokenRequest().build());
        JsonNode body = body(response);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers())
                .containsEntry("Content-Type", "application/json")
                .containsEntry("Cache-Control", "no-store")
                .containsEntry("Pragma", "no-cache");
        assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.get("expires_in").isIntegralNumber()).isTrue();
        assertThat(body.get("expires_in").asLong()).isEqualTo(TestApis.TTL.toSeconds());
        assertThat(body.get("access_token").asText()).isNotBlank();
    }

    @Test
    @DisplayName("the issued token verifies against the key the JWKS endpoint publishes")
    void tokenVerifiesAgainstJwks() throws Exception {
        String accessToken = body(api.handle(basicTokenRequest().build())).get("access_token").asText();
        HttpResponse jwksResponse = api.handle(Requests.get(Endpoints.JWKS_PATH).build());

        SignedJWT jwt = SignedJWT.parse(accessToken);
        JWK published = JWKSet.parse(jwksResponse.body()).getKeyByKeyId(jwt.getHeader().getKeyID());

        assertThat(published).isNotNull();
        assertThat(jwt.verify(new RSASSAVerifier(published.toRSAKey()))).isTrue();
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo(SERVICE_USER_ID);
        assertThat(jwt.getJWTClaimsSet().getStringClaim("client_id")).isEqualTo(CLIENT_ID);
    }

    @Test
    @DisplayName("a client_credentials request reads the store exactly once")
    void oneLookupPerToken() {
        api.handle(basicTokenRequest().build());

        assertThat(store.lookups()).containsExactly(CLIENT_ID);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/", "/v1beta1/auth/token/", "/v1beta1/auth/tokens", "/V1BETA1/AUTH/TOKEN",
            "/v1beta1/auth", "/.well-known/openid-configuration/", "/.well-known/oauth-authorization-server/x",
            "//nope", "/%2F.well-known/jwks.json", "/%2fv1beta1/auth/token", "/v1beta1/auth/%74oken"})
    @DisplayName("an unknown path is 404, code 5, with doubled slashes or percent-encoding too")
    void unknownPath(String path) throws Exception {
        HttpResponse response = api.handle(Requests.post(path).form("grant_type=client_credentials").build());

        assertThat(response.status()).isEqualTo(404);
        assertThat(body(response).get("code").asInt()).isEqualTo(5);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"GET", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"})
    @DisplayName("any method but POST on the token path is 405 with Allow: POST")
    void wrongMethodOnToken(String method) {
        HttpResponse response = api.handle(Requests.request(method, TOKEN).build());

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.headers()).containsEntry("Allow", "POST");
        assertThat(store.lookups()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {Endpoints.JWKS_PATH, Endpoints.FRONTIER_JWKS_PATH,
            Endpoints.OAUTH_METADATA_PATH, Endpoints.OPENID_CONFIGURATION_PATH})
    @DisplayName("POST on a JWKS or discovery path is 405 with Allow: GET")
    void postOnGetPaths(String path) {
        HttpResponse response = api.handle(Requests.post(path).form("grant_type=client_credentials").build());

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.headers()).containsEntry("Allow", "GET");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"//.well-known/jwks.json", "/.well-known//jwks.json", "//v1beta1/auth/jwks"})
    @DisplayName("the JWKS answers with doubled slashes too, as Frontier's Go middleware asks for it")
    void jwksWithDoubledSlashes(String path) {
        HttpResponse response = api.handle(Requests.get(path).build());

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(api.handle(Requests.get(Endpoints.JWKS_PATH).build()).body());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {Endpoints.JWKS_PATH, Endpoints.FRONTIER_JWKS_PATH})
    @DisplayName("both JWKS paths publish the signing key's public JWK only, cacheably")
    void jwks(String path) throws Exception {
        HttpResponse response = api.handle(Requests.get(path).build());
        JWKSet set = JWKSet.parse(response.body());

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers().get("Cache-Control")).startsWith("public").contains("max-age=300");
        assertThat(set.getKeys()).hasSize(1);
        JWK key = set.getKeys().get(0);
        assertThat(key.getKeyID()).isEqualTo(keys.publicJwk().getKeyID());
        assertThat(key.isPrivate()).isFalse();
        assertThat(JSON.readTree(response.body()).get("keys").get(0).fieldNames())
                .toIterable().containsExactlyInAnyOrder("kty", "alg", "use", "kid", "n", "e");
    }

    @Test
    @DisplayName("the JWKS never publishes private key members, even if handed a private JWK")
    void jwksStripsPrivateMembers() throws Exception {
        SigningKeys leaky = new SigningKeys() {
            @Override
            public SigningKey signingKey() {
                return keys.signingKey();
            }

            @Override
            public List<JWK> verificationKeys() {
                return List.of(keys.privateJwk());
            }
        };

        HttpResponse response = new JwksEndpoint(leaky, 60).handle();

        assertThat(JSON.readTree(response.body()).get("keys").get(0).has("d")).isFalse();
        assertThat(response.body()).doesNotContain(keys.privateJwk().toRSAKey().getPrivateExponent().toString());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"password&username=a&password=b", "authorization_code&code=x",
            "refresh_token&refresh_token=x", "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Asaml2-bearer&assertion=a"})
    @DisplayName("a grant type not supported is 400 unsupported_grant_type")
    void unsupportedGrantType(String grant) throws Exception {
        HttpResponse response = api.handle(Requests.post(TOKEN).form("grant_type=" + grant).build());
        JsonNode body = body(response);

        assertThat(response.status()).isEqualTo(400);
        assertThat(body.get("code").asInt()).isEqualTo(3);
        assertThat(body.get("error").asText()).isEqualTo("unsupported_grant_type");
        assertThat(store.lookups()).isEmpty();
    }

    @Test
    @DisplayName("the jwt-bearer grant is routed: a bad assertion is 401 invalid_grant, a missing one 400")
    void jwtBearerGrantIsRouted() throws Exception {
        String grant = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer";
        HttpResponse bad = api.handle(Requests.post(TOKEN).form(grant + "&assertion=a.b.c").build());
        HttpResponse missing = api.handle(Requests.post(TOKEN).form(grant).build());

        assertThat(bad.status()).isEqualTo(401);
        assertThat(body(bad).get("code").asInt()).isEqualTo(16);
        assertThat(body(bad).get("message").asText()).isEqualTo("not authenticated");
        assertThat(body(bad).get("error").asText()).isEqualTo("invalid_grant");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(body(missing).get("error").asText()).isEqualTo("invalid_request");
        assertThat(store.lookups()).isEmpty();
    }

    @Test
    @DisplayName("a wrong secret is 401 invalid_client with WWW-Authenticate")
    void wrongSecret() throws Exception {
        HttpResponse response = api.handle(Requests.post(TOKEN)
                .header("Authorization", basic(CLIENT_ID, "wrong-secret"))
                .form("grant_type=client_credentials").build());

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.headers()).containsEntry("WWW-Authenticate", "Basic realm=\"token-issuer\"");
        assertThat(body(response).get("error").asText()).isEqualTo("invalid_client");
    }

    @Test
    @DisplayName("a disabled service user with the right secret is 403, code 7")
    void disabledServiceUser() throws Exception {
        TokenIssuerApi disabledApi = TestApis.create(
                new FakeCredentialStore().withDemoCredential(ServiceUserState.DISABLED));

        HttpResponse response = disabledApi.handle(basicTokenRequest().build());

        assertThat(response.status()).isEqualTo(403);
        assertThat(body(response).get("code").asInt()).isEqualTo(7);
    }

    @Test
    @DisplayName("an unexpected failure in the store is 500 with nothing of its message in the body")
    void unexpectedFailure() throws Exception {
        String leak = "table token-issuer item secret#" + CLIENT_ID + " " + CLIENT_SECRET;
        TokenIssuerApi failing = TestApis.create(
                new FakeCredentialStore().failingWith(new IllegalStateException(leak)));

        HttpResponse response = failing.handle(basicTokenRequest().build());
        JsonNode body = body(response);

        assertThat(response.status()).isEqualTo(500);
        assertThat(body.get("code").asInt()).isEqualTo(13);
        assertThat(body.get("message").asText()).isEqualTo("internal server error");
        assertThat(response.body()).doesNotContain("table").doesNotContain(CLIENT_ID).doesNotContain(CLIENT_SECRET)
                .doesNotContain("IllegalStateException");
    }

    @Test
    @DisplayName("a signer that cannot reach KMS in time gives 503 with Retry-After, not 500")
    void signerUnavailable() throws Exception {
        JWSSigner unreachable = new JWSSigner() {
            @Override
            public Base64URL sign(JWSHeader header, byte[] signingInput) {
                throw SdkClientException.create("Unable to execute HTTP request: connect timed out");
            }

            @Override
            public Set<JWSAlgorithm> supportedJWSAlgorithms() {
                return Set.of(JWSAlgorithm.RS256);
            }

            @Override
            public JCAContext getJCAContext() {
                return new JCAContext();
            }
        };
        SigningKey key = keys.signingKey();
        SigningKeys failingKeys = new SigningKeys() {
            @Override
            public SigningKey signingKey() {
                return new SigningKey(key.keyId(), key.algorithm(), key.kid(), unreachable);
            }

            @Override
            public List<JWK> verificationKeys() {
                return keys.verificationKeys();
            }
        };
        TokenIssuerApi failing = TestApis.create(store, failingKeys, RequestLog.none());

        HttpResponse response = failing.handle(basicTokenRequest().build());

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.headers()).containsKey("Retry-After");
        assertThat(body(response).get("code").asInt()).isEqualTo(14);
        assertThat(response.body()).doesNotContain("timed out");
    }

    @Test
    @DisplayName("a malformed body is 400 code 3 before the store is read")
    void malformedBody() throws Exception {
        HttpResponse response = api.handle(Requests.post(TOKEN).json("{\"grant_type\":").build());

        assertThat(response.status()).isEqualTo(400);
        assertThat(body(response).get("code").asInt()).isEqualTo(3);
        assertThat(store.lookups()).isEmpty();
    }

    @Test
    @DisplayName("an unsupported Content-Type is 415")
    void unsupportedMediaType() {
        HttpResponse response = api.handle(Requests.post(TOKEN).contentType("text/xml").body("<x/>").build());

        assertThat(response.status()).isEqualTo(415);
    }
}
