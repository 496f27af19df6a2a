package dev.tokenissuer.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scopes (RFC 6749 §3.3) and resources (RFC 8707) through the whole API, for both grants and both body encodings:
 * what is granted, what is refused, and that a refusal spends no assertion.
 */
class ScopesAndResourcesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String USER = "0b6f3f0e-1c2d-4e5f-8a9b-0c1d2e3f4a5b";
    private static final String PLAIN_USER = "1c7f3f0e-1c2d-4e5f-8a9b-0c1d2e3f4a5b";
    private static final String ORG = "org-42";
    private static final String CLIENT_ID = "5e0ad0a4-8b7c-4c8e-9f0e-2b7f3c1d6a90";
    private static final String PLAIN_CLIENT_ID = "6f1ad0a4-8b7c-4c8e-9f0e-2b7f3c1d6a90";
    private static final String SECRET = "c2NvcGVzLXRlc3Qtc2VjcmV0LW5vdC1mb3ItcHJvZHVjdGlvbg";
    private static final String KID = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
    private static final String PLAIN_KID = "4a2504e0-4f89-41d3-9a0c-0305e82c3301";
    private static final String ORDERS = "https://orders.example.com";
    private static final String BILLING = "https://billing.example.com/api";
    private static final AllowedAccess ALLOWED = new AllowedAccess(List.of("orders:read", "orders:write", "billing"),
            List.of(ORDERS, BILLING));
    private static final RSAKey RSA = rsa(KID);
    private static final RSAKey PLAIN_RSA = rsa(PLAIN_KID);

    private final FakeCredentialStore store = new FakeCredentialStore()
            .with(new ClientSecretCredential(CLIENT_ID, USER, ORG, ServiceUserState.ENABLED, SecretHasher.hash(SECRET),
                    ALLOWED))
            .with(new ClientSecretCredential(PLAIN_CLIENT_ID, PLAIN_USER, ORG, ServiceUserState.ENABLED,
                    SecretHasher.hash(SECRET)))
            .with(new PublicKeyCredential(KID, USER, ORG, ServiceUserState.ENABLED, RSA.toPublicJWK(), ALLOWED))
            .with(new PublicKeyCredential(PLAIN_KID, PLAIN_USER, ORG, ServiceUserState.ENABLED,
                    PLAIN_RSA.toPublicJWK()));
    private final InMemoryReplayGuard replayGuard = new InMemoryReplayGuard();
    private final TokenIssuerApi api = TokenIssuerApplication.wire(TestApis.CONFIG,
            new TokenIssuerApplication.Backends(store, replayGuard, LocalSigningKeys.rsa(), Clock.systemUTC()),
            RequestLog.none()).api();

    enum Grant { CLIENT_CREDENTIALS, JWT_BEARER }

    enum Encoding { JSON, FORM }

    static Stream<Arguments> everyWay() {
        List<Arguments> ways = new ArrayList<>();
        for (Grant grant : Grant.values()) {
            for (Encoding encoding : Encoding.values()) {
                ways.add(Arguments.of(grant, encoding));
            }
        }
        return ways.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyWay")
    @DisplayName("a service user without scopes or audiences gets exactly today's token: no scope, no aud")
    void noScopesIsTodaysToken(Grant grant, Encoding encoding) throws Exception {
        JsonNode body = ok(post(grant, encoding, false, Map.of()));

        assertThat(fieldNames(body)).containsExactly("access_token", "token_type", "expires_in");
        Map<String, Object> claims = claims(body);
        assertThat(claims.keySet()).containsExactlyInAnyOrder("iss", "sub", "iat", "nbf", "exp", "jti", "client_id",
                "kid", "gen", "sub_type", "org_ids", "auth_via");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyWay")
    @DisplayName("without scope, the token and the response carry every allowed scope")
    void omittedScopeIsAllAllowed(Grant grant, Encoding encoding) throws Exception {
        JsonNode body = ok(post(grant, encoding, true, Map.of()));

        assertThat(body.get("scope").asText()).isEqualTo("billing orders:read orders:write");
        assertThat(claims(body).get("scope")).isEqualTo("billing orders:read orders:write");
        assertThat(claims(body)).doesNotContainKey("aud");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyWay")
    @DisplayName("a subset of the allowed scopes is granted as asked, in the token and the response")
    void subsetIsGranted(Grant grant, Encoding encoding) throws Exception {
        JsonNode body = ok(post(grant, encoding, true, Map.of("scope", List.of("orders:write orders:read"))));

        assertThat(body.get("scope").asText()).isEqualTo("orders:write orders:read");
        assertThat(claims(body).get("scope")).isEqualTo("orders:write orders:read");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyWay")
    @DisplayName("one scope outside the allowed set: 400, code 3, invalid_scope, and the assertion stays unused")
    void scopeOutsideTheSetIsRefused(Grant grant, Encoding encoding) throws Exception {
        assertRefused(post(grant, encoding, true, Map.of("scope", List.of("orders:read orders:delete"))),
                "invalid_scope", "a requested scope is not allowed for this client");
        assertRefused(post(grant, encoding, false, Map.of("scope", List.of("orders:read"))),
                "invalid_scope", "a requested scope is not allowed for this client");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyWay")
    @DisplayName("a malformed scope (a quote, a backslash, two spaces, an edge space, a repeat, non-ASCII) is invalid_scope")
    void malformedScopeIsRefused(Grant grant, Encoding encoding) throws Exception {
        for (String scope : List.of("orders:\"read\"", "orders\\read", "orders:read  billing", " billing",
                "billing ", "billing billing", "bi\u00e9lling", "orders:read\tbilling")) {
            assertRefused(post(grant, encoding, true, Map.of("scope", List.of(scope))), "invalid_scope", null);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyWay")
    @DisplayName("more scopes than a service user may have is invalid_scope")
    void tooManyScopesAreRefused(Grant grant, Encoding encoding) throws Exception {
        String many = Stream.iterate(0, i -> i + 1).limit(33).map(i -> "s" + i).collect(Collectors.joining(" "));
        assertRefused(post(grant, encoding, true, Map.of("scope", List.of(many))), "invalid_scope", null);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyWay")
    @DisplayName("an allowed resource becomes the token's aud")
    void resourceIsTheAudience(Grant grant, Encoding encoding) throws Exception {
        JsonNode body = ok(post(grant, encoding, true, Map.of("resource", List.of(ORDERS),
                "scope", List.of("orders:read"))));

        // One audience travels as a string (RFC 7519 §4.1.3), as with TOKEN_AUDIENCE.
        assertThat(claims(body).get("aud")).isEqualTo(ORDERS);
        assertThat(claims(body).get("scope")).isEqualTo("orders:read");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyWay")
    @DisplayName("resource may be repeated (an array in JSON): the token names each")
    void repeatedResources(Grant grant, Encoding encoding) throws Exception {
        JsonNode body = ok(post(grant, encoding, true, Map.of("resource", List.of(BILLING, ORDERS))));

        assertThat(claims(body).get("aud")).isEqualTo(List.of(BILLING, ORDERS));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyWay")
    @DisplayName("a resource outside the allowed audiences: 400, code 3, invalid_target, and the assertion stays unused")
    void resourceOutsideTheSetIsRefused(Grant grant, Encoding encoding) throws Exception {
        assertRefused(post(grant, encoding, true, Map.of("resource", List.of(ORDERS, "https://admin.example.com"))),
                "invalid_target", "a requested resource is not allowed for this client");
        assertRefused(post(grant, encoding, false, Map.of("resource", List.of(ORDERS))),
                "invalid_target", "a requested resource is not allowed for this client");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyWay")
    @DisplayName("a malformed resource (empty, relative, with a fragment, not a URI, repeated) is invalid_target")
    void malformedResourceIsRefused(Grant grant, Encoding encoding) throws Exception {
        for (List<String> resources : List.of(List.of(""), List.of("/orders"), List.of(ORDERS + "#frag"),
                List.of("https://orders example.com"), List.of(ORDERS, ORDERS), List.of(ORDERS + "#"))) {
            assertRefused(post(grant, encoding, true, Map.of("resource", resources)), "invalid_target", null);
        }
    }

    @Test
    @DisplayName("resource in JSON must be a string or an array of strings: 400 invalid_request otherwise")
    void resourceOfAnotherJsonTypeIsInvalidRequest() throws Exception {
        for (String value : List.of("7", "{\"a\":1}", "[\"" + ORDERS + "\",7]")) {
            HttpResponse response = api.handle(Requests.post(Endpoints.TOKEN_PATH).json(
                    "{\"grant_type\":\"client_credentials\",\"client_id\":\"" + CLIENT_ID + "\",\"client_secret\":\""
                            + SECRET + "\",\"resource\":" + value + "}").build());
            assertThat(response.status()).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).get("error_description").asText())
                    .isEqualTo("resource must be a string or an array of strings");
        }
    }

    @Test
    @DisplayName("only resource may repeat: scope given twice in a form is 400 invalid_request")
    void onlyResourceRepeats() throws Exception {
        HttpResponse response = api.handle(Requests.post(Endpoints.TOKEN_PATH).form(
                "grant_type=client_credentials&client_id=" + CLIENT_ID + "&client_secret=" + SECRET
                        + "&scope=billing&scope=orders:read").build());
        assertThat(response.status()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("error").asText()).isEqualTo("invalid_request");
    }

    @Test
    @DisplayName("a malformed scope is refused before any read: not even the credential is looked up")
    void malformedScopeReadsNothing() throws Exception {
        assertRefused(post(Grant.CLIENT_CREDENTIALS, Encoding.FORM, true, Map.of("scope", List.of("a  b"))),
                "invalid_scope", null);
        assertRefused(post(Grant.JWT_BEARER, Encoding.JSON, true, Map.of("resource", List.of("x"))),
                "invalid_target", null);
        assertThat(store.lookups()).isEmpty();
    }

    private String jti;

    private static final String DEFAULT_AUDIENCE = "https://default.example.com";

    /** The API with TOKEN_AUDIENCE set: the audience every service user may be granted. */
    private final TokenIssuerApi withDefaultAudience = TokenIssuerApplication.wire(
            dev.tokenissuer.config.IssuerConfig.from(Map.of("TOKEN_ISSUER", TestApis.ISSUER,
                    "TOKEN_AUDIENCE", DEFAULT_AUDIENCE)),
            new TokenIssuerApplication.Backends(store, replayGuard, LocalSigningKeys.rsa(), Clock.systemUTC()),
            RequestLog.none()).api();

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyWay")
    @DisplayName("with TOKEN_AUDIENCE set, a token asked for no resource names it, for a user with no audiences too")
    void defaultAudienceWithoutResource(Grant grant, Encoding encoding) throws Exception {
        assertThat(claims(ok(post(withDefaultAudience, grant, encoding, false, Map.of()))).get("aud"))
                .isEqualTo(DEFAULT_AUDIENCE);
        assertThat(claims(ok(post(withDefaultAudience, grant, encoding, true, Map.of()))).get("aud"))
                .isEqualTo(DEFAULT_AUDIENCE);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyWay")
    @DisplayName("resource naming TOKEN_AUDIENCE is granted, as every token without resource names it anyway")
    void defaultAudienceAsResource(Grant grant, Encoding encoding) throws Exception {
        JsonNode body = ok(post(withDefaultAudience, grant, encoding, false,
                Map.of("resource", List.of(DEFAULT_AUDIENCE))));

        assertThat(claims(body).get("aud")).isEqualTo(DEFAULT_AUDIENCE);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyWay")
    @DisplayName("with TOKEN_AUDIENCE set, a resource asked for replaces it, and one neither allowed nor default is refused")
    void resourceReplacesDefaultAudience(Grant grant, Encoding encoding) throws Exception {
        JsonNode body = ok(post(withDefaultAudience, grant, encoding, true, Map.of("resource", List.of(ORDERS))));
        HttpResponse refused = post(withDefaultAudience, grant, encoding, false, Map.of("resource", List.of(ORDERS)));

        assertThat(claims(body).get("aud")).isEqualTo(ORDERS);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()).get("error").asText()).isEqualTo("invalid_target");
    }

    private HttpResponse post(Grant grant, Encoding encoding, boolean scopedUser, Map<String, List<String>> extra) {
        return post(api, grant, encoding, scopedUser, extra);
    }

    private HttpResponse post(TokenIssuerApi target, Grant grant, Encoding encoding, boolean scopedUser,
                              Map<String, List<String>> extra) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (grant == Grant.CLIENT_CREDENTIALS) {
            params.put("grant_type", List.of("client_credentials"));
            params.put("client_id", List.of(scopedUser ? CLIENT_ID : PLAIN_CLIENT_ID));
            params.put("client_secret", List.of(SECRET));
        } else {
            String kid = scopedUser ? KID : PLAIN_KID;
            var claims = ClientAssertions.frontierClaims(kid, scopedUser ? USER : PLAIN_USER, Instant.now(),
                    Duration.ofMinutes(5)).build();
            jti = claims.getJWTID();
            params.put("grant_type", List.of(JwtBearerGrant.GRANT_TYPE));
            params.put("assertion", List.of(ClientAssertions.sign(ClientAssertions.frontierHeader(kid).build(), claims,
                    scopedUser ? RSA : PLAIN_RSA)));
        }
        params.putAll(extra);
        Requests request = Requests.post(Endpoints.TOKEN_PATH);
        if (encoding == Encoding.FORM) {
            List<String> pairs = new ArrayList<>();
            params.forEach((name, values) -> values.forEach(value ->
                    pairs.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8))));
            request.form(String.join("&", pairs));
        } else {
            Map<String, Object> json = new LinkedHashMap<>();
            // One resource as a string, several as an array: both JSON shapes RFC 8707 clients send.
            params.forEach((name, values) -> json.put(name, values.size() == 1 ? values.get(0) : values));
            try {
                request.json(JSON.writeValueAsString(json));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return target.handle(request.build());
    }

    private JsonNode ok(HttpResponse response) throws Exception {
        JsonNode body = JSON.readTree(response.body());
        assertThat(response.status()).as(body.toString()).isEqualTo(200);
        return body;
    }

    private void assertRefused(HttpResponse response, String error, String description) throws Exception {
        JsonNode body = JSON.readTree(response.body());
        assertThat(response.status()).as(body.toString()).isEqualTo(400);
        assertThat(body.get("code").asInt()).isEqualTo(3);
        assertThat(body.get("error").asText()).isEqualTo(error);
        if (description != null) {
            assertThat(body.get("error_description").asText()).isEqualTo(description);
        }
        assertThat(body.get("error_description").asText()).doesNotContain("orders:delete", "admin.example.com",
                "#frag");
        assertThat(replayGuard.attempts()).as("no assertion's use is recorded").isEmpty();
    }

    private static List<String> fieldNames(JsonNode body) {
        List<String> names = new ArrayList<>();
        body.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Map<String, Object> claims(JsonNode body) throws Exception {
        return SignedJWT.parse(body.get("access_token").asText()).getJWTClaimsSet().toJSONObject();
    }

    private static RSAKey rsa(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
