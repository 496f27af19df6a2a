package dev.tokenissuer.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tokenissuer.admin.AdminStore;
import dev.tokenissuer.store.ServiceUserState;
import dev.tokenissuer.testing.CallCounter;
import dev.tokenissuer.testing.HttpApiInvoker.Response;
import dev.tokenissuer.testing.HttpApiInvoker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The token endpoint through the Lambda handler, against DynamoDB and KMS in the emulator, with credentials made by
 * tokenctl's store: what a client of a deployment sees.
 */
class TokenEndpointIT {

    private static final String TOKEN = "/v1beta1/auth/token";
    private static final Map<String, String> FORM = Map.of("Content-Type", "application/x-www-form-urlencoded");
    private static final Map<String, String> JSON_TYPE = Map.of("Content-Type", "application/json");

    private static EmulatedDeployment deployment;
    private static CallCounter kmsCalls;
    private static CallCounter dynamoCalls;
    private static AdminStore store;
    private static Map<String, String> environment;
    private static HttpApiInvoker api;
    private static AdminStore.ServiceUser serviceUser;
    private static AdminStore.NewSecret secret;

    @BeforeAll
    static void provision() {
        deployment = new EmulatedDeployment("token-endpoint", "https://issuer.example.test");
        kmsCalls = deployment.kmsCalls;
        dynamoCalls = deployment.dynamoCalls;
        store = deployment.store;
        serviceUser = store.createServiceUser("org-42", "billing exporter");
        secret = store.createSecret(serviceUser.id(), "primary");
        environment = deployment.environment;
        api = invoker(environment);
    }

    @AfterAll
    static void close() {
        deployment.close();
    }

    private static HttpApiInvoker invoker(Map<String, String> env) {
        return deployment.api(env);
    }

    private static String basic(String id, String secretValue) {
        return "Basic " + Base64.getEncoder().encodeToString((form(id) + ":" + form(secretValue))
                .getBytes(StandardCharsets.UTF_8));
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static Response tokenWithBasic(String id, String secretValue) {
        return api.post(TOKEN, Map.of("Content-Type", "application/x-www-form-urlencoded",
                "Authorization", basic(id, secretValue)), "grant_type=client_credentials");
    }

    private static Response tokenWithForm(String id, String secretValue) {
        return api.post(TOKEN, FORM, "grant_type=client_credentials&client_id=" + form(id)
                + "&client_secret=" + form(secretValue));
    }

    private static JWTClaimsSet verifyAgainstJwks(String token) throws Exception {
        return EmulatedDeployment.verifyAgainstJwks(api, token);
    }

    @Nested
    @DisplayName("issues a token")
    class Issues {

        @Test
        void forClientCredentialsInABasicHeader() throws Exception {
            Response response = tokenWithBasic(secret.clientId(), secret.clientSecret());

            assertThat(response.status()).isEqualTo(200);
            assertThat(verifyAgainstJwks(response.json().get("access_token").asText()).getSubject())
                    .isEqualTo(serviceUser.id());
        }

        @Test
        void forClientCredentialsInAJsonBody() throws Exception {
            Response response = api.post(TOKEN, JSON_TYPE, "{\"grant_type\":\"client_credentials\",\"client_id\":\""
                    + secret.clientId() + "\",\"client_secret\":\"" + secret.clientSecret() + "\"}");

            assertThat(response.status()).isEqualTo(200);
            verifyAgainstJwks(response.json().get("access_token").asText());
        }

        @Test
        void forClientCredentialsInAFormBody() throws Exception {
            Response response = tokenWithForm(secret.clientId(), secret.clientSecret());

            assertThat(response.status()).isEqualTo(200);
            verifyAgainstJwks(response.json().get("access_token").asText());
        }

        @Test
        @DisplayName("for a Basic header whose id and secret are percent-encoded (RFC 6749 §2.3.1)")
        void forPercentEncodedBasicCredentials() {
            String encodedId = percentEncodeEverything(secret.clientId());
            String encodedSecret = percentEncodeEverything(secret.clientSecret());
            String header = "basic " + Base64.getEncoder().encodeToString(
                    (encodedId + ":" + encodedSecret).getBytes(StandardCharsets.UTF_8));

            Response response = api.post(TOKEN, Map.of("Content-Type", "application/x-www-form-urlencoded",
                    "Authorization", header), "grant_type=client_credentials");

            assertThat(response.status()).isEqualTo(200);
        }

        @Test
        @DisplayName("with Frontier's claims, RFC 6749's response and no caching")
        void withTheDocumentedClaimsAndResponse() throws Exception {
            Instant before = Instant.now().minusSeconds(1);
            Response response = tokenWithBasic(secret.clientId(), secret.clientSecret());
            JsonNode body = response.json();

            assertThat(response.headers()).containsEntry("Cache-Control", "no-store")
                    .containsEntry("Pragma", "no-cache").containsEntry("Content-Type", "application/json");
            assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
            assertThat(body.get("expires_in").asLong()).isEqualTo(3600);

            SignedJWT jwt = SignedJWT.parse(body.get("access_token").asText());
            JWTClaimsSet claims = verifyAgainstJwks(body.get("access_token").asText());
            String jwksKid = JWKSet.parse(api.get("/v1beta1/auth/jwks").body()).getKeys().get(0).getKeyID();
            assertThat(jwt.getHeader().getKeyID()).isEqualTo(jwksKid);
            assertThat(jwt.getHeader().getType().getType()).isEqualTo("JWT");
            assertThat(claims.getIssuer()).isEqualTo("https://issuer.example.test");
            assertThat(claims.getSubject()).isEqualTo(serviceUser.id());
            assertThat(claims.getStringClaim("org_ids")).isEqualTo("org-42");
            assertThat(claims.getStringClaim("client_id")).isEqualTo(secret.clientId());
            assertThat(claims.getStringClaim("kid")).isEqualTo(jwksKid);
            assertThat(claims.getStringClaim("gen")).isEqualTo("system");
            assertThat(claims.getStringClaim("sub_type")).isEqualTo("app/serviceuser");
            assertThat(claims.getAudience()).isEmpty();
            assertThat(claims.getIssueTime()).isAfter(java.util.Date.from(before));
            assertThat(claims.getNotBeforeTime()).isEqualTo(claims.getIssueTime());
            assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()).isEqualTo(3_600_000);
            assertThat(claims.getJWTID()).isNotBlank();
        }

        @Test
        void withAUniqueJtiEachTime() throws Exception {
            String first = SignedJWT.parse(tokenWithBasic(secret.clientId(), secret.clientSecret()).json()
                    .get("access_token").asText()).getJWTClaimsSet().getJWTID();
            String second = SignedJWT.parse(tokenWithBasic(secret.clientId(), secret.clientSecret()).json()
                    .get("access_token").asText()).getJWTClaimsSet().getJWTID();

            assertThat(first).isNotEqualTo(second);
        }

        @Test
        void withTheConfiguredAudienceAndLifetime() throws Exception {
            Map<String, String> env = new HashMap<>(environment);
            env.put("TOKEN_AUDIENCE", "https://api.example.test, https://other.example.test");
            env.put("TOKEN_TTL_SECONDS", "600");
            Response response = invoker(env).post(TOKEN, Map.of("Authorization",
                    basic(secret.clientId(), secret.clientSecret()), "Content-Type",
                    "application/x-www-form-urlencoded"), "grant_type=client_credentials");

            JWTClaimsSet claims = verifyAgainstJwks(response.json().get("access_token").asText());
            assertThat(claims.getAudience()).containsExactly("https://api.example.test", "https://other.example.test");
            assertThat(response.json().get("expires_in").asLong()).isEqualTo(600);
            assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()).isEqualTo(600_000);
        }

        @Test
        @DisplayName("for exactly one DynamoDB GetItem and one KMS Sign")
        void withOneGetItemAndOneSign() {
            tokenWithBasic(secret.clientId(), secret.clientSecret()); // the container's first use reads the key
            kmsCalls.reset();
            dynamoCalls.reset();

            for (int i = 0; i < 3; i++) {
                assertThat(tokenWithBasic(secret.clientId(), secret.clientSecret()).status()).isEqualTo(200);
            }

            assertThat(dynamoCalls.snapshot()).isEqualTo(Map.of("GetItem", 3));
            assertThat(kmsCalls.snapshot()).isEqualTo(Map.of("Sign", 3));
        }
    }

    @Nested
    @DisplayName("refuses")
    class Refuses {

        @Test
        void aWrongSecretWith401AndAWwwAuthenticateHeader() {
            Response response = tokenWithBasic(secret.clientId(), secret.clientSecret() + "x");

            assertThat(response.status()).isEqualTo(401);
            assertThat(response.headers()).containsEntry("WWW-Authenticate", "Basic realm=\"token-issuer\"");
            JsonNode body = response.json();
            assertThat(body.get("code").asInt()).isEqualTo(16);
            assertThat(body.get("message").asText()).isEqualTo("not authenticated");
            assertThat(body.get("details").isArray()).isTrue();
            assertThat(body.get("error").asText()).isEqualTo("invalid_client");
        }

        @Test
        @DisplayName("an unknown client exactly as it refuses a wrong secret")
        void anUnknownClientLikeAWrongSecret() {
            Response wrongSecret = tokenWithBasic(secret.clientId(), "not-the-secret");
            Response unknownClient = tokenWithBasic(UUID.randomUUID().toString(), "not-the-secret");
            Response malformedClient = tokenWithForm("not-a-uuid", "not-the-secret");

            assertThat(unknownClient).isEqualTo(wrongSecret);
            assertThat(malformedClient).isEqualTo(wrongSecret);
        }

        @Test
        void aDeletedSecretAtOnce() {
            AdminStore.NewSecret doomed = store.createSecret(serviceUser.id(), "doomed");
            assertThat(tokenWithBasic(doomed.clientId(), doomed.clientSecret()).status()).isEqualTo(200);

            store.deleteSecret(doomed.clientId());

            Response response = tokenWithBasic(doomed.clientId(), doomed.clientSecret());
            assertThat(response).isEqualTo(tokenWithBasic(UUID.randomUUID().toString(), "x"));
        }

        @Test
        @DisplayName("a disabled service user's correct secret with 403, and works again once enabled")
        void aDisabledServiceUser() {
            AdminStore.ServiceUser user = store.createServiceUser("org-7", "to be disabled");
            AdminStore.NewSecret credentials = store.createSecret(user.id(), "");

            store.setState(user.id(), ServiceUserState.DISABLED);
            Response disabled = tokenWithBasic(credentials.clientId(), credentials.clientSecret());
            Response wrongSecret = tokenWithBasic(credentials.clientId(), "wrong");
            store.setState(user.id(), ServiceUserState.ENABLED);
            Response enabled = tokenWithBasic(credentials.clientId(), credentials.clientSecret());

            assertThat(disabled.status()).isEqualTo(403);
            assertThat(disabled.json().get("code").asInt()).isEqualTo(7);
            assertThat(disabled.body()).doesNotContain("access_token");
            assertThat(wrongSecret.status()).as("a wrong secret says nothing of the state").isEqualTo(401);
            assertThat(enabled.status()).isEqualTo(200);
        }

        @Test
        @DisplayName("credentials sent both in the Basic header and in the body")
        void credentialsTwice() {
            Response response = api.post(TOKEN, Map.of("Content-Type", "application/x-www-form-urlencoded",
                    "Authorization", basic(secret.clientId(), secret.clientSecret())),
                    "grant_type=client_credentials&client_id=" + secret.clientId() + "&client_secret="
                            + secret.clientSecret());

            assertThat(response.status()).isEqualTo(400);
            assertThat(response.json().get("error").asText()).isEqualTo("invalid_request");
            assertThat(response.body()).doesNotContain(secret.clientSecret());
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', textBlock = """
                malformed JSON                 | application/json                  | {"grant_type": "client_credentials",           | 400 | invalid_request
                a JSON array                   | application/json                  | ["client_credentials"]                          | 400 | invalid_request
                a non-string grant_type        | application/json                  | {"grant_type": 7}                               | 400 | invalid_request
                a duplicate JSON key           | application/json                  | {"grant_type": "a", "grant_type": "b"}          | 400 | invalid_request
                an empty body                  | application/json                  |                                                 | 400 | invalid_request
                no grant_type                  | application/x-www-form-urlencoded | client_id=a&client_secret=b                     | 400 | invalid_request
                an unknown grant_type          | application/x-www-form-urlencoded | grant_type=password&username=a&password=b       | 400 | unsupported_grant_type
                jwt-bearer without assertion   | application/x-www-form-urlencoded | grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer | 400 | invalid_request
                no client_secret               | application/x-www-form-urlencoded | grant_type=client_credentials&client_id=a       | 400 | invalid_request
                no client_id                   | application/x-www-form-urlencoded | grant_type=client_credentials&client_secret=b   | 400 | invalid_request
                a repeated form parameter      | application/x-www-form-urlencoded | grant_type=client_credentials&grant_type=x      | 400 | invalid_request
                a bad percent escape           | application/x-www-form-urlencoded | grant_type=client_credentials%zz                | 400 | invalid_request
                an XML body                    | application/xml                   | <grant_type>client_credentials</grant_type>     | 415 | invalid_request
                """)
        void malformedRequestsWithA4xx(String what, String contentType, String body, int status, String error) {
            dynamoCalls.reset();

            Response response = api.post(TOKEN, Map.of("Content-Type", contentType), body == null ? "" : body);

            assertThat(response.status()).isEqualTo(status);
            assertThat(response.json().get("code").asInt()).isEqualTo(3);
            assertThat(response.json().get("error").asText()).isEqualTo(error);
            assertThat(response.json().get("error_description").asText()).isNotBlank();
            assertThat(dynamoCalls.snapshot()).as("nothing is read or written").isEmpty();
        }

        @ParameterizedTest(name = "an Authorization header {0}")
        @CsvSource(delimiter = '|', textBlock = """
                that is not base64      | Basic !!!!
                without a colon         | Basic bm9jb2xvbg==
                with an empty client id | Basic OnNlY3JldA==
                """)
        void malformedBasicHeaders(String what, String header) {
            Response response = api.post(TOKEN, Map.of("Content-Type", "application/x-www-form-urlencoded",
                    "Authorization", header), "grant_type=client_credentials");

            assertThat(response.status()).isEqualTo(400);
            assertThat(response.json().get("error").asText()).isEqualTo("invalid_request");
        }
    }

    @Test
    @DisplayName("refuses an Authorization header of another scheme as a failed client authentication")
    void anotherAuthorizationScheme() {
        Response response = api.post(TOKEN, Map.of("Content-Type", "application/x-www-form-urlencoded",
                "Authorization", "Bearer abc.def.ghi"), "grant_type=client_credentials");

        assertThat(response).isEqualTo(tokenWithBasic(UUID.randomUUID().toString(), "x"));
    }

    @Nested
    @DisplayName("routes")
    class Routes {

        @Test
        void anUnknownPathTo404() {
            Response response = api.get("/v1beta1/users");

            assertThat(response.status()).isEqualTo(404);
            assertThat(response.json().get("code").asInt()).isEqualTo(5);
        }

        @Test
        void aWrongMethodOnTheTokenPathTo405() {
            Response response = api.get(TOKEN);

            assertThat(response.status()).isEqualTo(405);
            assertThat(response.headers()).containsEntry("Allow", "POST");
        }

        @Test
        @DisplayName("both JWKS paths to the same public keys, cacheable")
        void bothJwksPaths() throws Exception {
            Response wellKnown = api.get("/.well-known/jwks.json");
            Response frontier = api.get("/v1beta1/auth/jwks");

            assertThat(wellKnown.status()).isEqualTo(200);
            assertThat(frontier.body()).isEqualTo(wellKnown.body());
            assertThat(wellKnown.headers().get("Cache-Control")).startsWith("public, max-age=");
            JWKSet jwks = JWKSet.parse(wellKnown.body());
            assertThat(jwks.getKeys()).hasSize(1);
            assertThat(jwks.getKeys().get(0).isPrivate()).isFalse();
            assertThat(jwks.getKeys().get(0).toJSONObject()).containsKeys("kty", "alg", "use", "kid", "n", "e");
        }
    }

    @Test
    @DisplayName("logs no secret, header or token")
    void logsNoCredentials() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        Response ok;
        try {
            HttpApiInvoker logged = invoker(environment);
            ok = logged.post(TOKEN, Map.of("Content-Type", "application/x-www-form-urlencoded",
                    "Authorization", basic(secret.clientId(), secret.clientSecret())), "grant_type=client_credentials");
            logged.post(TOKEN, FORM, "grant_type=client_credentials&client_id=" + secret.clientId()
                    + "&client_secret=" + secret.clientSecret() + "x");
        } finally {
            System.setOut(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);

        assertThat(log).contains("\"status\":200").contains("\"status\":401");
        assertThat(log).doesNotContain(secret.clientSecret())
                .doesNotContain(ok.json().get("access_token").asText())
                .doesNotContain(basic(secret.clientId(), secret.clientSecret()).substring(6));
    }

    private static String percentEncodeEverything(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            out.append('%').append(String.format("%02X", b));
        }
        return out.toString();
    }
}
