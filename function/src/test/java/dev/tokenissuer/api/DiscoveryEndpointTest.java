package dev.tokenissuer.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.SignedJWT;
import dev.tokenissuer.config.IssuerConfig;
import dev.tokenissuer.http.Endpoints;
import dev.tokenissuer.http.HttpResponse;
import dev.tokenissuer.lambda.TokenIssuerApplication;
import dev.tokenissuer.signing.SigningKey;
import dev.tokenissuer.signing.SigningKeys;
import dev.tokenissuer.store.ServiceUserState;
import dev.tokenissuer.testing.FakeCredentialStore;
import dev.tokenissuer.testing.LocalSigningKeys;
import dev.tokenissuer.testing.Requests;
import dev.tokenissuer.testing.TestApis;
import dev.tokenissuer.testing.TestCredentials;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The RFC 8414 / OpenID discovery documents. */
class DiscoveryEndpointTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TokenIssuerApi api = TestApis.create(new FakeCredentialStore());

    private static JsonNode body(HttpResponse response) throws Exception {
        return JSON.readTree(response.body());
    }

    private HttpResponse apiGatewayRequest(String path) {
        return api.handle(Requests.get(path)
                .header("host", "abc123.execute-api.eu-west-1.amazonaws.com")
                .header("x-forwarded-proto", "https")
                .build());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {Endpoints.OAUTH_METADATA_PATH, Endpoints.OPENID_CONFIGURATION_PATH})
    @DisplayName("both discovery paths answer the same metadata, with URLs on the host the client used")
    void metadata(String path) throws Exception {
        HttpResponse response = apiGatewayRequest(path);
        JsonNode metadata = body(response);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers()).containsEntry("Content-Type", "application/json")
                .containsEntry("Cache-Control", "public, max-age=300");
        assertThat(metadata.get("issuer").asText()).isEqualTo(TestApis.ISSUER);
        assertThat(metadata.get("token_endpoint").asText())
                .isEqualTo("https://abc123.execute-api.eu-west-1.amazonaws.com/v1beta1/auth/token");
        assertThat(metadata.get("jwks_uri").asText())
                .isEqualTo("https://abc123.execute-api.eu-west-1.amazonaws.com/.well-known/jwks.json");
        assertThat(metadata.get("grant_types_supported")).extracting(JsonNode::asText)
                .containsExactly("client_credentials", "urn:ietf:params:oauth:grant-type:jwt-bearer",
                        "urn:ietf:params:oauth:grant-type:token-exchange");
        assertThat(metadata.get("token_endpoint_auth_methods_supported")).extracting(JsonNode::asText)
                .containsExactly("private_key_jwt", "client_secret_basic", "client_secret_post");
        assertThat(metadata.get("token_endpoint_auth_signing_alg_values_supported")).extracting(JsonNode::asText)
                .containsExactly("ES256", "PS256", "RS256");
        assertThat(metadata.get("response_types_supported").isArray()).isTrue();
        assertThat(metadata.get("subject_types_supported")).extracting(JsonNode::asText).containsExactly("public");
        assertThat(metadata.get("id_token_signing_alg_values_supported")).extracting(JsonNode::asText)
                .containsExactly("RS256");
        assertThat(response.body()).isEqualTo(apiGatewayRequest(
                path.equals(Endpoints.OAUTH_METADATA_PATH) ? Endpoints.OPENID_CONFIGURATION_PATH
                        : Endpoints.OAUTH_METADATA_PATH).body());
    }

    @Test
    @DisplayName("with neither TOKEN_ISSUER nor PUBLIC_BASE_URL, the issuer is the URL the metadata was fetched from, "
            + "and tokens carry it")
    void issuerFromTheRequest() throws Exception {
        TokenIssuerApi deployed = TokenIssuerApplication.wire(IssuerConfig.from(Map.of()),
                TestApis.backends(new FakeCredentialStore().withDemoCredential(ServiceUserState.ENABLED),
                        LocalSigningKeys.rsa()), RequestLog.none()).api();
        String host = "abc123.execute-api.eu-west-1.amazonaws.com";

        JsonNode metadata = body(deployed.handle(Requests.get(Endpoints.OPENID_CONFIGURATION_PATH)
                .header("Host", host).header("X-Forwarded-Proto", "https").build()));
        HttpResponse token = deployed.handle(Requests.post(Endpoints.TOKEN_PATH).header("Host", host)
                .header("X-Forwarded-Proto", "https")
                .header("Authorization", TestCredentials.basic(TestCredentials.CLIENT_ID, TestCredentials.CLIENT_SECRET))
                .form("grant_type=client_credentials").build());

        assertThat(metadata.get("issuer").asText()).isEqualTo("https://" + host);
        assertThat(token.status()).isEqualTo(200);
        assertThat(SignedJWT.parse(body(token).get("access_token").asText()).getJWTClaimsSet().getIssuer())
                .isEqualTo("https://" + host);
    }

    @ParameterizedTest(name = "Host \"{0}\"")
    @ValueSource(strings = {"", "evil.example/path", "a.example,a.example", "a.example, b.example"})
    @DisplayName("with the issuer derived from the request, a token request without a well-formed single Host gets "
            + "the 400 discovery answers, and no token")
    void derivedIssuerNeedsAHost(String host) throws Exception {
        TokenIssuerApi deployed = TokenIssuerApplication.wire(IssuerConfig.from(Map.of()),
                TestApis.backends(new FakeCredentialStore().withDemoCredential(ServiceUserState.ENABLED),
                        LocalSigningKeys.rsa()), RequestLog.none()).api();
        Requests token = Requests.post(Endpoints.TOKEN_PATH).header("X-Forwarded-Proto", "https")
                .header("Authorization", TestCredentials.basic(TestCredentials.CLIENT_ID, TestCredentials.CLIENT_SECRET))
                .form("grant_type=client_credentials");
        Requests discovery = Requests.get(Endpoints.OPENID_CONFIGURATION_PATH).header("X-Forwarded-Proto", "https");
        if (!host.isEmpty()) {
            token.header("Host", host);
            discovery.header("Host", host);
        }

        HttpResponse tokenResponse = deployed.handle(token.build());
        HttpResponse discoveryResponse = deployed.handle(discovery.build());

        assertThat(tokenResponse.status()).isEqualTo(400);
        assertThat(body(tokenResponse).has("access_token")).isFalse();
        assertThat(body(tokenResponse).get("error").asText()).isEqualTo("invalid_request");
        assertThat(body(tokenResponse).get("error_description"))
                .isEqualTo(body(discoveryResponse).get("error_description"));
        assertThat(discoveryResponse.status()).isEqualTo(400);
    }

    /** OpenID Connect Discovery 1.0 §3's REQUIRED members (authorization_endpoint aside: there is none). */
    private static final List<String> OPENID_REQUIRED = List.of("issuer", "token_endpoint", "jwks_uri",
            "response_types_supported", "subject_types_supported", "id_token_signing_alg_values_supported");

    @Test
    @DisplayName("the OpenID document carries every member OpenID Connect Discovery 1.0 section 3 requires but "
            + "authorization_endpoint, which this server does not have")
    void openIdRequiredMembers() throws Exception {
        JsonNode metadata = body(apiGatewayRequest(Endpoints.OPENID_CONFIGURATION_PATH));

        assertThat(OPENID_REQUIRED).allSatisfy(member -> assertThat(metadata.has(member)).as(member).isTrue());
        assertThat(metadata.get("response_types_supported")).isEmpty();
        assertThat(metadata.has("authorization_endpoint")).as("no made-up authorization endpoint").isFalse();
    }

    private static DiscoveryEndpoint endpointOver(SigningKeys keys) {
        return new DiscoveryEndpoint(IssuerName.fixed("https://auth.example.com"),
                Optional.of(URI.create("https://auth.example.com")), 60,
                TestApis.application(new FakeCredentialStore()).grants(), keys);
    }

    private static SigningKeys publishing(LocalSigningKeys signer, LocalSigningKeys... others) {
        return new SigningKeys() {
            @Override
            public SigningKey signingKey() {
                return signer.signingKey();
            }

            @Override
            public List<JWK> verificationKeys() {
                return Stream.concat(Stream.of(signer), Stream.of(others)).map(LocalSigningKeys::publicJwk).toList();
            }
        };
    }

    @Test
    @DisplayName("after a rotation to a P-256 key, id_token_signing_alg_values_supported names ES256, and RS256 while "
            + "the old key is still published")
    void algorithmsFollowTheRotation() throws Exception {
        JsonNode duringOverlap = body(endpointOver(publishing(LocalSigningKeys.ec(), LocalSigningKeys.rsa()))
                .handle(Requests.get(Endpoints.OPENID_CONFIGURATION_PATH).build()));
        JsonNode afterRetirement = body(endpointOver(publishing(LocalSigningKeys.ec()))
                .handle(Requests.get(Endpoints.OPENID_CONFIGURATION_PATH).build()));

        assertThat(duringOverlap.get("id_token_signing_alg_values_supported")).extracting(JsonNode::asText)
                .containsExactly("ES256", "RS256");
        assertThat(afterRetirement.get("id_token_signing_alg_values_supported")).extracting(JsonNode::asText)
                .containsExactly("ES256");
    }

    @Test
    @DisplayName("a key published ahead of a rotation is named before it signs, each algorithm once")
    void algorithmsOfKeysPublishedAhead() throws Exception {
        JsonNode metadata = body(endpointOver(publishing(LocalSigningKeys.rsa(), LocalSigningKeys.ec(),
                LocalSigningKeys.rsa())).handle(Requests.get(Endpoints.OPENID_CONFIGURATION_PATH).build()));

        assertThat(metadata.get("id_token_signing_alg_values_supported")).extracting(JsonNode::asText)
                .containsExactly("RS256", "ES256");
    }

    @Test
    @DisplayName("the document, which lists the published keys' algorithms, is cached no longer than the JWKS")
    void cachedNoLongerThanTheJwks() {
        TokenIssuerApi shortRefresh = TokenIssuerApplication.wire(IssuerConfig.from(Map.of(
                        "TOKEN_ISSUER", TestApis.ISSUER, "JWKS_MAX_AGE_SECONDS", "300",
                        "SIGNING_KEYS_REFRESH_SECONDS", "60")),
                TestApis.backends(new FakeCredentialStore(), LocalSigningKeys.rsa()), RequestLog.none()).api();

        HttpResponse discovery = shortRefresh.handle(Requests.get(Endpoints.OPENID_CONFIGURATION_PATH)
                .header("Host", "auth.example.com").build());
        HttpResponse jwks = shortRefresh.handle(Requests.get(Endpoints.JWKS_PATH).build());

        assertThat(discovery.headers().get("Cache-Control")).isEqualTo("public, max-age=60")
                .isEqualTo(jwks.headers().get("Cache-Control"));
    }

    @Test
    @DisplayName("PUBLIC_BASE_URL wins over the request's host")
    void configuredBaseUrl() throws Exception {
        DiscoveryEndpoint endpoint = new DiscoveryEndpoint(IssuerName.fixed("https://auth.example.com"),
                Optional.of(URI.create("https://auth.example.com/tokens")), 60,
                TestApis.application(new FakeCredentialStore()).grants(), LocalSigningKeys.rsa());

        JsonNode metadata = body(endpoint.handle(Requests.get(Endpoints.OAUTH_METADATA_PATH)
                .header("Host", "abc123.execute-api.eu-west-1.amazonaws.com").build()));

        assertThat(metadata.get("issuer").asText()).isEqualTo("https://auth.example.com");
        assertThat(metadata.get("token_endpoint").asText())
                .isEqualTo("https://auth.example.com/tokens/v1beta1/auth/token");
        assertThat(metadata.get("jwks_uri").asText())
                .isEqualTo("https://auth.example.com/tokens/.well-known/jwks.json");
    }

    @Test
    @DisplayName("without PUBLIC_BASE_URL, a cache is told the document varies with Host and X-Forwarded-Proto")
    void variesWithTheRequestsHost() {
        for (String path : new String[] {Endpoints.OAUTH_METADATA_PATH, Endpoints.OPENID_CONFIGURATION_PATH}) {
            assertThat(apiGatewayRequest(path).headers()).containsEntry("Vary", "Host, X-Forwarded-Proto");
        }
    }

    @Test
    @DisplayName("with PUBLIC_BASE_URL, the document is the same for every request: no Vary")
    void configuredBaseUrlDoesNotVary() {
        DiscoveryEndpoint endpoint = new DiscoveryEndpoint(IssuerName.fixed("https://auth.example.com"),
                Optional.of(URI.create("https://auth.example.com")), 60,
                TestApis.application(new FakeCredentialStore()).grants(), LocalSigningKeys.rsa());

        HttpResponse response = endpoint.handle(Requests.get(Endpoints.OAUTH_METADATA_PATH)
                .header("Host", "abc123.execute-api.eu-west-1.amazonaws.com").build());

        assertThat(response.headers()).containsEntry("Cache-Control", "public, max-age=60").doesNotContainKey("Vary");
    }

    @ParameterizedTest(name = "Host {0}, X-Forwarded-Proto {1}")
    @CsvSource(nullValues = "none", value = {
            "127.0.0.1:7400, http, http://127.0.0.1:7400",
            "Auth.Example.COM, https, https://auth.example.com",
            "auth.example.com, 'http,https', https://auth.example.com",
            "auth.example.com, 'https,http', http://auth.example.com",
            "auth.example.com, none, https://auth.example.com",
            "auth.example.com, gopher, https://auth.example.com",
            "[::1]:7400, http, http://[::1]:7400"})
    @DisplayName("without PUBLIC_BASE_URL, the base URL is the request's scheme and host as API Gateway saw them")
    void requestBaseUrl(String host, String proto, String expected) {
        Requests request = Requests.get("/").header("Host", host);
        if (proto != null) {
            request.header("X-Forwarded-Proto", proto);
        }

        assertThat(PublicBaseUrl.of(request.build(), Optional.empty())).contains(expected);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "evil.example/path", "a b", "user@host", "host:port", "host/..", "-bad-.example"})
    @DisplayName("a missing or malformed Host without PUBLIC_BASE_URL is a 400, with nothing of the header echoed")
    void malformedHost(String host) throws Exception {
        Requests request = Requests.get(Endpoints.OPENID_CONFIGURATION_PATH);
        if (!host.isEmpty()) {
            request.header("Host", host);
        }

        HttpResponse response = api.handle(request.build());

        assertThat(response.status()).isEqualTo(400);
        assertThat(body(response).get("error").asText()).isEqualTo("invalid_request");
        if (!host.isEmpty()) {
            assertThat(response.body()).doesNotContain(host);
        }
    }
}
