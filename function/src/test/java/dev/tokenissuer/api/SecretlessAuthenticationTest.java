package dev.tokenissuer.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tokenissuer.http.Endpoints;
import dev.tokenissuer.http.HttpResponse;
import dev.tokenissuer.lambda.TokenIssuerApplication;
import dev.tokenissuer.store.PublicKeyCredential;
import dev.tokenissuer.store.ServiceUserState;
import dev.tokenissuer.testing.ClientAssertions;
import dev.tokenissuer.testing.DpopProofMaker;
import dev.tokenissuer.testing.FakeCredentialStore;
import dev.tokenissuer.testing.InMemoryReplayGuard;
import dev.tokenissuer.testing.LocalSigningKeys;
import dev.tokenissuer.testing.Requests;
import dev.tokenissuer.testing.TestApis;
import dev.tokenissuer.testing.TestCredentials;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** No shared secret: private_key_jwt client authentication (RFC 7523 §2.2) and DPoP-bound tokens (RFC 9449). */
class SecretlessAuthenticationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOST = "auth.example.test";
    private static final String ENDPOINT = "https://" + HOST + Endpoints.TOKEN_PATH;
    private static final String USER = "0b6f3f0e-1c2d-4e5f-8a9b-0c1d2e3f4a5b";
    private static final String KID = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
    private static final String CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private static final RSAKey RSA = rsa(KID);
    private static final ECKey HOLDER = DpopProofMaker.newKey();

    private final InMemoryReplayGuard replayGuard = new InMemoryReplayGuard();
    private final FakeCredentialStore store = new FakeCredentialStore()
            .withDemoCredential(ServiceUserState.ENABLED)
            .with(new PublicKeyCredential(KID, USER, "org-42", ServiceUserState.ENABLED, RSA.toPublicJWK()));
    private final TokenIssuerApi api = TokenIssuerApplication.wire(TestApis.CONFIG,
            new TokenIssuerApplication.Backends(store, replayGuard, LocalSigningKeys.rsa(), Clock.systemUTC()),
            RequestLog.none()).api();

    private static RSAKey rsa(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client assertion as OAuth libraries make one: iss = sub = the service user, aud = the token endpoint. */
    private static JWTClaimsSet.Builder clientClaims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(USER).subject(USER).audience(ENDPOINT)
                .jwtID(UUID.randomUUID().toString()).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(60)));
    }

    private static String clientAssertion(JWTClaimsSet.Builder claims) {
        return ClientAssertions.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(KID).build(), claims.build(),
                RSA);
    }

    private static String form(String... pairs) {
        StringBuilder form = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            form.append(form.length() == 0 ? "" : "&").append(pairs[i]).append('=')
                    .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return form.toString();
    }

    private static Requests tokenRequest(String body) {
        return Requests.post(Endpoints.TOKEN_PATH).header("Host", HOST).form(body);
    }

    private HttpResponse privateKeyJwt(String assertion, String... extra) {
        String body = form("grant_type", "client_credentials", "client_assertion_type", CLIENT_ASSERTION_TYPE,
                "client_assertion", assertion);
        return api.handle(tokenRequest(extra.length == 0 ? body : body + "&" + form(extra)).build());
    }

    private static JsonNode json(HttpResponse response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static JWTClaimsSet claimsOf(HttpResponse response) throws Exception {
        return SignedJWT.parse(json(response).get("access_token").asText()).getJWTClaimsSet();
    }

    private static void assertInvalidClient(HttpResponse response, String secretMaterial) throws Exception {
        assertThat(response.status()).as(response.body()).isEqualTo(401);
        assertThat(json(response).get("error").asText()).isEqualTo("invalid_client");
        assertThat(response.headers()).containsKey("WWW-Authenticate");
        assertThat(response.body()).doesNotContain(secretMaterial);
    }

    @Nested
    @DisplayName("private_key_jwt")
    class PrivateKeyJwt {

        @Test
        @DisplayName("a client assertion signed with the service user's key gets a client_credentials token")
        void getsAToken() throws Exception {
            HttpResponse response = privateKeyJwt(clientAssertion(clientClaims()));

            assertThat(response.status()).as(response.body()).isEqualTo(200);
            JWTClaimsSet claims = claimsOf(response);
            assertThat(claims.getSubject()).isEqualTo(USER);
            assertThat(claims.getStringClaim("client_id")).isEqualTo(KID);
            assertThat(claims.getStringClaim("auth_via")).isEqualTo("private_key_jwt");
            assertThat(json(response).get("token_type").asText()).isEqualTo("Bearer");
        }

        @Test
        @DisplayName("aud may be the issuer, and client_id may name the service user in any case")
        void issuerAudienceAndClientId() {
            HttpResponse response = privateKeyJwt(clientAssertion(clientClaims().audience(TestApis.ISSUER)),
                    "client_id", USER.toUpperCase(java.util.Locale.ROOT));

            assertThat(response.status()).as(response.body()).isEqualTo(200);
        }

        @Test
        @DisplayName("refuses a client_id other than the assertion's subject")
        void clientIdMismatch() throws Exception {
            String assertion = clientAssertion(clientClaims());
            assertInvalidClient(privateKeyJwt(assertion, "client_id", TestCredentials.CLIENT_ID), assertion);
        }

        @Test
        @DisplayName("refuses an assertion whose issuer is not its subject")
        void issuerIsNotSubject() throws Exception {
            String assertion = clientAssertion(clientClaims().issuer("someone-else"));
            assertInvalidClient(privateKeyJwt(assertion), assertion);
        }

        @Test
        @DisplayName("refuses an assertion without aud, or for another server")
        void audience() throws Exception {
            String none = clientAssertion(clientClaims().audience((String) null));
            String other = clientAssertion(clientClaims().audience("https://other.example/v1beta1/auth/token"));
            assertInvalidClient(privateKeyJwt(none), none);
            assertInvalidClient(privateKeyJwt(other), other);
        }

        @Test
        @DisplayName("refuses an assertion that lives longer than five minutes")
        void longLived() throws Exception {
            Instant now = Instant.now();
            String assertion = clientAssertion(clientClaims().issueTime(Date.from(now))
                    .expirationTime(Date.from(now.plusSeconds(600))));
            assertInvalidClient(privateKeyJwt(assertion), assertion);
        }

        @Test
        @DisplayName("refuses a second use of the same assertion")
        void replayed() throws Exception {
            String assertion = clientAssertion(clientClaims());
            assertThat(privateKeyJwt(assertion).status()).isEqualTo(200);
            assertInvalidClient(privateKeyJwt(assertion), assertion);
        }

        @Test
        @DisplayName("refuses alg none and an HMAC keyed with the public key")
        void noneAndHmac() throws Exception {
            JWTClaimsSet claims = clientClaims().build();
            String none = ClientAssertions.raw("{\"alg\":\"none\",\"kid\":\"" + KID + "\"}", claims.toString(),
                    new byte[0]);
            SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(KID).build(), claims);
            hmac.sign(new MACSigner(RSA.toPublicJWK().toRSAPublicKey().getEncoded()));
            assertThat(privateKeyJwt(none).status()).isIn(400, 401);
            assertInvalidClient(privateKeyJwt(hmac.serialize()), hmac.serialize());
        }

        @Test
        @DisplayName("refuses an unknown client_assertion_type")
        void unknownType() throws Exception {
            String assertion = clientAssertion(clientClaims());
            HttpResponse response = api.handle(tokenRequest(form("grant_type", "client_credentials",
                    "client_assertion_type", "urn:example:other", "client_assertion", assertion)).build());
            assertInvalidClient(response, assertion);
        }

        @Test
        @DisplayName("with a client secret or a Basic header too is 400 invalid_request, and spends nothing")
        void mixedWithASecret() throws Exception {
            String assertion = clientAssertion(clientClaims());
            HttpResponse withSecret = privateKeyJwt(assertion, "client_secret", "x");
            HttpResponse withBasic = api.handle(tokenRequest(form("grant_type", "client_credentials",
                    "client_assertion_type", CLIENT_ASSERTION_TYPE, "client_assertion", assertion))
                    .header("Authorization", TestCredentials.basic(TestCredentials.CLIENT_ID,
                            TestCredentials.CLIENT_SECRET)).build());

            assertThat(withSecret.status()).isEqualTo(400);
            assertThat(json(withSecret).get("error").asText()).isEqualTo("invalid_request");
            assertThat(withBasic.status()).isEqualTo(400);
            assertThat(replayGuard.attempts()).isEmpty();
            assertThat(privateKeyJwt(assertion).status()).isEqualTo(200);
        }

        @Test
        @DisplayName("is advertised in discovery beside the secret methods")
        void advertised() throws Exception {
            JsonNode metadata = json(api.handle(Requests.get(Endpoints.OAUTH_METADATA_PATH).header("Host", HOST)
                    .build()));
            assertThat(metadata.get("token_endpoint_auth_methods_supported")).extracting(JsonNode::asText)
                    .contains("private_key_jwt", "client_secret_basic", "client_secret_post");
        }
    }

    @Nested
    @DisplayName("jwt-bearer with client authentication (RFC 6749 §3.2.1: a client that authenticates must do so correctly)")
    class JwtBearerClientAuthentication {

        private String assertion() {
            try {
                return ClientAssertions.frontierAssertion(RSA.toPrivateKey(), KID, USER, Duration.ofMinutes(5));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        private HttpResponse jwtBearer(String assertion, String authorization, String... extra) {
            String body = form("grant_type", JWT_BEARER, "assertion", assertion);
            Requests request = tokenRequest(extra.length == 0 ? body : body + "&" + form(extra));
            return api.handle((authorization == null ? request : request.header("Authorization", authorization))
                    .build());
        }

        /** The refused request spent nothing: the same assertion, sent alone, still gets a token. */
        private void assertUnspent(String assertion) {
            assertThat(jwtBearer(assertion, null).status()).isEqualTo(200);
        }

        @Test
        @DisplayName("a wrong Basic header beside a valid assertion is 401 invalid_client, and the assertion stays unused")
        void wrongBasicHeader() throws Exception {
            String assertion = assertion();

            assertInvalidClient(jwtBearer(assertion, TestCredentials.basic(TestCredentials.CLIENT_ID, "wrong")),
                    "wrong");
            assertThat(replayGuard.attempts()).isEmpty();
            assertUnspent(assertion);
        }

        @Test
        @DisplayName("another client's wrong secret in the body is 401 invalid_client, and the assertion stays unused")
        void wrongSecretInTheBody() throws Exception {
            String assertion = assertion();

            assertInvalidClient(jwtBearer(assertion, null, "client_id", TestCredentials.CLIENT_ID,
                    "client_secret", "not-the-secret"), "not-the-secret");
            assertInvalidClient(jwtBearer(assertion, null, "client_id", "9f9f9f9f-0000-4000-8000-000000000999",
                    "client_secret", "not-the-secret"), "not-the-secret");
            assertThat(replayGuard.attempts()).isEmpty();
            assertUnspent(assertion);
        }

        @Test
        @DisplayName("a garbage or forged client_assertion is 401 invalid_client, and the assertion stays unused")
        void garbageClientAssertion() throws Exception {
            String assertion = assertion();
            String forged = ClientAssertions.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(KID).build(),
                    clientClaims().build(), rsa(KID));

            assertInvalidClient(jwtBearer(assertion, null, "client_assertion_type", CLIENT_ASSERTION_TYPE,
                    "client_assertion", "garbage"), "garbage");
            assertInvalidClient(jwtBearer(assertion, null, "client_assertion_type", CLIENT_ASSERTION_TYPE,
                    "client_assertion", "bnVsbA.e30.c2ln"), "bnVsbA");
            assertInvalidClient(jwtBearer(assertion, null, "client_assertion_type", CLIENT_ASSERTION_TYPE,
                    "client_assertion", forged), forged);
            assertThat(replayGuard.attempts()).isEmpty();
            assertUnspent(assertion);
        }

        @Test
        @DisplayName("correct client credentials beside the assertion get the assertion's token")
        void correctClientAuthentication() throws Exception {
            HttpResponse basic = jwtBearer(assertion(), TestCredentials.basic(TestCredentials.CLIENT_ID,
                    TestCredentials.CLIENT_SECRET));
            HttpResponse post = jwtBearer(assertion(), null, "client_id", TestCredentials.CLIENT_ID,
                    "client_secret", TestCredentials.CLIENT_SECRET);
            HttpResponse privateKeyJwt = jwtBearer(assertion(), null, "client_assertion_type",
                    CLIENT_ASSERTION_TYPE, "client_assertion", clientAssertion(clientClaims()));

            for (HttpResponse response : List.of(basic, post, privateKeyJwt)) {
                assertThat(response.status()).as(response.body()).isEqualTo(200);
                assertThat(claimsOf(response).getSubject()).isEqualTo(USER);
                assertThat(claimsOf(response).getStringClaim("auth_via")).isEqualTo("jwt_grant");
            }
        }

        @Test
        @DisplayName("a refused assertion gives a correct client assertion back: the client may send both again")
        void refusedAssertionReleasesTheClientAssertion() throws Exception {
            String clientAssertion = clientAssertion(clientClaims());
            String expired = ClientAssertions.sign(ClientAssertions.frontierHeader(KID).build(),
                    ClientAssertions.frontierClaims(KID, USER, Instant.now().minusSeconds(900), Duration.ofMinutes(5))
                            .build(), RSA);

            HttpResponse refused = jwtBearer(expired, null, "client_assertion_type", CLIENT_ASSERTION_TYPE,
                    "client_assertion", clientAssertion);

            assertThat(refused.status()).isEqualTo(401);
            assertThat(json(refused).get("error").asText()).isEqualTo("invalid_grant");
            assertThat(replayGuard.releases()).hasSize(1);
            assertThat(jwtBearer(assertion(), null, "client_assertion_type", CLIENT_ASSERTION_TYPE,
                    "client_assertion", clientAssertion).status()).isEqualTo(200);
        }

        @Test
        @DisplayName("when the token cannot be signed, every single use the request recorded is given back")
        void signingFailureReleasesEveryUse() throws Exception {
            dev.tokenissuer.signing.SigningKeys failing = new dev.tokenissuer.signing.SigningKeys() {
                @Override
                public dev.tokenissuer.signing.SigningKey signingKey() {
                    throw new IllegalStateException("KMS did not answer");
                }

                @Override
                public List<com.nimbusds.jose.jwk.JWK> verificationKeys() {
                    return List.of();
                }
            };
            TokenIssuerApi unsigned = TokenIssuerApplication.wire(TestApis.CONFIG,
                    new TokenIssuerApplication.Backends(store, replayGuard, failing, Clock.systemUTC()),
                    RequestLog.none()).api();
            String assertion = assertion();
            String clientAssertion = clientAssertion(clientClaims());
            String proof = DpopProofMaker.proof(HOLDER, ENDPOINT);

            HttpResponse failed = unsigned.handle(tokenRequest(form("grant_type", JWT_BEARER, "assertion", assertion,
                    "client_assertion_type", CLIENT_ASSERTION_TYPE, "client_assertion", clientAssertion))
                    .header("DPoP", proof).build());

            assertThat(failed.status()).isEqualTo(500);
            assertThat(replayGuard.attempts()).hasSize(3);
            assertThat(replayGuard.releases()).hasSize(3);
            assertThat(api.handle(tokenRequest(form("grant_type", JWT_BEARER, "assertion", assertion,
                    "client_assertion_type", CLIENT_ASSERTION_TYPE, "client_assertion", clientAssertion))
                    .header("DPoP", proof).build()).status()).isEqualTo(200);
        }

        @Test
        @DisplayName("a Bearer assertion with a client secret in the body is held to the secret too")
        void bearerAssertionWithSecret() throws Exception {
            String assertion = assertion();
            Requests request = tokenRequest(form("grant_type", JWT_BEARER, "client_id", TestCredentials.CLIENT_ID,
                    "client_secret", "wrong-secret")).header("Authorization", "Bearer " + assertion);

            assertInvalidClient(api.handle(request.build()), "wrong-secret");
            assertUnspent(assertion);
        }
    }

    @Nested
    @DisplayName("DPoP")
    class Dpop {

        private String thumbprint() throws Exception {
            return HOLDER.toPublicJWK().computeThumbprint().toString();
        }

        private HttpResponse withProof(Requests request, String proof) {
            return api.handle(request.header("DPoP", proof).build());
        }

        private Requests clientCredentials() {
            return tokenRequest("grant_type=client_credentials").header("Authorization",
                    TestCredentials.basic(TestCredentials.CLIENT_ID, TestCredentials.CLIENT_SECRET));
        }

        private String assertion() {
            return ClientAssertions.frontierAssertion(rsaPrivate(), KID, USER, Duration.ofMinutes(5));
        }

        private java.security.PrivateKey rsaPrivate() {
            try {
                return RSA.toPrivateKey();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        private void assertBound(HttpResponse response) throws Exception {
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            assertThat(json(response).get("token_type").asText()).isEqualTo("DPoP");
            assertThat(claimsOf(response).getJSONObjectClaim("cnf")).isEqualTo(Map.of("jkt", thumbprint()));
        }

        private void assertInvalidProof(HttpResponse response) throws Exception {
            assertThat(response.status()).as(response.body()).isEqualTo(400);
            assertThat(json(response).get("error").asText()).isEqualTo("invalid_dpop_proof");
        }

        @Test
        @DisplayName("a client_credentials token with a proof is bound to the proof's key (cnf.jkt, token_type DPoP)")
        void clientCredentialsBound() throws Exception {
            assertBound(withProof(clientCredentials(), DpopProofMaker.proof(HOLDER, ENDPOINT)));
        }

        @Test
        @DisplayName("a jwt-bearer token with a proof is bound too")
        void jwtBearerBound() throws Exception {
            assertBound(withProof(tokenRequest(form("grant_type", JWT_BEARER, "assertion", assertion())),
                    DpopProofMaker.proof(HOLDER, ENDPOINT)));
        }

        @Test
        @DisplayName("a private_key_jwt client's token with a proof is bound too")
        void privateKeyJwtBound() throws Exception {
            assertBound(withProof(tokenRequest(form("grant_type", "client_credentials", "client_assertion_type",
                    CLIENT_ASSERTION_TYPE, "client_assertion", clientAssertion(clientClaims()))),
                    DpopProofMaker.proof(HOLDER, ENDPOINT)));
        }

        @Test
        @DisplayName("without a DPoP header the token is a bearer token, with no cnf")
        void bearerWithoutProof() throws Exception {
            HttpResponse response = api.handle(clientCredentials().build());

            assertThat(json(response).get("token_type").asText()).isEqualTo("Bearer");
            assertThat(claimsOf(response).getClaim("cnf")).isNull();
        }

        @Test
        @DisplayName("refuses a proof used before, and the refused request spends no assertion")
        void replayedProof() throws Exception {
            String proof = DpopProofMaker.proof(HOLDER, ENDPOINT);
            assertBound(withProof(clientCredentials(), proof));
            String assertion = assertion();

            assertInvalidProof(withProof(tokenRequest(form("grant_type", JWT_BEARER, "assertion", assertion)), proof));
            assertBound(withProof(tokenRequest(form("grant_type", JWT_BEARER, "assertion", assertion)),
                    DpopProofMaker.proof(HOLDER, ENDPOINT)));
        }

        @Test
        @DisplayName("a bad proof spends neither the assertion nor anything else: no replay record is written")
        void badProofSpendsNothing() throws Exception {
            String assertion = assertion();
            String wrongHtu = DpopProofMaker.proof(HOLDER, "https://other.example/v1beta1/auth/token");

            assertInvalidProof(withProof(tokenRequest(form("grant_type", JWT_BEARER, "assertion", assertion)),
                    wrongHtu));

            assertThat(replayGuard.attempts()).isEmpty();
            assertThat(api.handle(tokenRequest(form("grant_type", JWT_BEARER, "assertion", assertion)).build())
                    .status()).isEqualTo(200);
        }

        private String signedProof(JWSHeader header, JWTClaimsSet claims) {
            return ClientAssertions.sign(header, claims, HOLDER);
        }

        @Test
        @DisplayName("refuses a proof whose typ is not dpop+jwt")
        void wrongType() throws Exception {
            assertInvalidProof(withProof(clientCredentials(), signedProof(
                    DpopProofMaker.header(HOLDER, JWSAlgorithm.ES256).type(JOSEObjectType.JWT).build(),
                    DpopProofMaker.claims(ENDPOINT, Instant.now()).build())));
        }

        @Test
        @DisplayName("refuses alg none, and HMAC")
        void noneAndHmac() throws Exception {
            JWTClaimsSet claims = DpopProofMaker.claims(ENDPOINT, Instant.now()).build();
            String header = "{\"typ\":\"dpop+jwt\",\"alg\":\"%s\",\"jwk\":" + HOLDER.toPublicJWK().toJSONString()
                    + "}";
            assertInvalidProof(withProof(clientCredentials(),
                    ClientAssertions.raw(header.formatted("none"), claims.toString(), new byte[0])));
            assertInvalidProof(withProof(clientCredentials(),
                    ClientAssertions.raw(header.formatted("HS256"), claims.toString(), new byte[32])));
        }

        @Test
        @DisplayName("refuses a jwk with private members, none at all, or of an unsupported type")
        void badKeys() throws Exception {
            JWTClaimsSet claims = DpopProofMaker.claims(ENDPOINT, Instant.now()).build();
            String privateJwk = ClientAssertions.raw("{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":"
                    + HOLDER.toJSONString() + "}", claims.toString(), new byte[64]);
            String noJwk = signedProof(new JWSHeader.Builder(JWSAlgorithm.ES256)
                    .type(new JOSEObjectType("dpop+jwt")).build(), claims);
            String okp = ClientAssertions.raw("{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":"
                    + "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}}",
                    claims.toString(), new byte[64]);

            assertInvalidProof(withProof(clientCredentials(), privateJwk));
            assertInvalidProof(withProof(clientCredentials(), noJwk));
            assertInvalidProof(withProof(clientCredentials(), okp));
        }

        @Test
        @DisplayName("refuses a proof signed by another key than its jwk")
        void signatureByAnotherKey() throws Exception {
            ECKey other = DpopProofMaker.newKey();
            assertInvalidProof(withProof(clientCredentials(), ClientAssertions.sign(
                    DpopProofMaker.header(HOLDER, JWSAlgorithm.ES256).build(),
                    DpopProofMaker.claims(ENDPOINT, Instant.now()).build(), other)));
        }

        @ParameterizedTest(name = "htu {0}")
        @ValueSource(strings = {"https://other.example/v1beta1/auth/token", "http://" + HOST + "/v1beta1/auth/token",
                "https://" + HOST + "/v1beta1/auth/jwks", "not a url", "mailto:a@" + HOST,
                "https://user@" + HOST + "/v1beta1/auth/token", "https://user:pw@" + HOST + "/v1beta1/auth/token",
                "https://other.example@" + HOST + "/v1beta1/auth/token", "https://@" + HOST + "/v1beta1/auth/token"})
        @DisplayName("refuses an htu that is not this endpoint, or that carries userinfo")
        void wrongTarget(String htu) throws Exception {
            assertInvalidProof(withProof(clientCredentials(), DpopProofMaker.proof(HOLDER, htu)));
        }

        @ParameterizedTest(name = "htu {0}")
        @ValueSource(strings = {ENDPOINT + "?a=b", ENDPOINT + "#f", ENDPOINT + "?", ENDPOINT + "?a=b#f"})
        @DisplayName("accepts an htu with a query or fragment: RFC 9449 §4.3 compares without them")
        void queryAndFragmentIgnored(String htu) throws Exception {
            assertBound(withProof(clientCredentials(), DpopProofMaker.proof(HOLDER, htu)));
        }

        @ParameterizedTest(name = "typ {0}")
        @ValueSource(strings = {"application/dpop+jwt", "DPoP+JWT", "Application/DPOP+jwt"})
        @DisplayName("accepts typ application/dpop+jwt, and any case: RFC 7515 §4.1.9's media type rules")
        void mediaTypeSpellings(String typ) throws Exception {
            assertBound(withProof(clientCredentials(), signedProof(
                    DpopProofMaker.header(HOLDER, JWSAlgorithm.ES256).type(new JOSEObjectType(typ)).build(),
                    DpopProofMaker.claims(ENDPOINT, Instant.now()).build())));
        }

        @ParameterizedTest(name = "typ {0}")
        @ValueSource(strings = {"application/jwt", "text/dpop+jwt", "application/dpop+jwt; charset=x", "dpop"})
        @DisplayName("refuses a typ that is another media type")
        void otherMediaTypes(String typ) throws Exception {
            assertInvalidProof(withProof(clientCredentials(), signedProof(
                    DpopProofMaker.header(HOLDER, JWSAlgorithm.ES256).type(new JOSEObjectType(typ)).build(),
                    DpopProofMaker.claims(ENDPOINT, Instant.now()).build())));
        }

        @Test
        @DisplayName("a request whose method is post in lower case is not POST: 405, no token, whatever its proof says")
        void methodComparedAsSent() throws Exception {
            HttpResponse response = api.handle(Requests.request("post", Endpoints.TOKEN_PATH).header("Host", HOST)
                    .form("grant_type=client_credentials")
                    .header("Authorization", TestCredentials.basic(TestCredentials.CLIENT_ID,
                            TestCredentials.CLIENT_SECRET))
                    .header("DPoP", DpopProofMaker.proof(HOLDER, ENDPOINT)).build());

            assertThat(response.status()).isEqualTo(405);
            assertThat(replayGuard.attempts()).isEmpty();
        }

        @Test
        @DisplayName("accepts htu with the host in upper case and the default port spelled out")
        void equivalentTarget() throws Exception {
            assertBound(withProof(clientCredentials(),
                    DpopProofMaker.proof(HOLDER, "https://AUTH.example.test:443/v1beta1/auth/token")));
        }

        @Test
        @DisplayName("refuses an htm other than POST")
        void wrongMethod() throws Exception {
            assertInvalidProof(withProof(clientCredentials(), signedProof(
                    DpopProofMaker.header(HOLDER, JWSAlgorithm.ES256).build(),
                    DpopProofMaker.claims(ENDPOINT, Instant.now()).claim("htm", "GET").build())));
        }

        @Test
        @DisplayName("refuses iat in the future beyond the skew, older than five minutes, or far out of range")
        void issuedAt() throws Exception {
            for (Instant iat : new Instant[] {Instant.now().plusSeconds(120), Instant.now().minusSeconds(420)}) {
                assertInvalidProof(withProof(clientCredentials(), signedProof(
                        DpopProofMaker.header(HOLDER, JWSAlgorithm.ES256).build(),
                        DpopProofMaker.claims(ENDPOINT, iat).build())));
            }
            String header = DpopProofMaker.header(HOLDER, JWSAlgorithm.ES256).build().toString();
            assertInvalidProof(withProof(clientCredentials(), ClientAssertions.raw(header,
                    "{\"jti\":\"x\",\"htm\":\"POST\",\"htu\":\"" + ENDPOINT + "\",\"iat\":2305843009213693952}",
                    new byte[64])));
        }

        @Test
        @DisplayName("refuses a proof without jti")
        void missingJti() throws Exception {
            assertInvalidProof(withProof(clientCredentials(), signedProof(
                    DpopProofMaker.header(HOLDER, JWSAlgorithm.ES256).build(),
                    DpopProofMaker.claims(ENDPOINT, Instant.now()).jwtID(null).build())));
        }

        @Test
        @DisplayName("refuses two DPoP headers, and an oversized proof")
        void twoHeadersAndOversized() throws Exception {
            String proof = DpopProofMaker.proof(HOLDER, ENDPOINT);
            assertInvalidProof(withProof(clientCredentials(), proof + "," + DpopProofMaker.proof(HOLDER, ENDPOINT)));
            assertInvalidProof(withProof(clientCredentials(), signedProof(
                    DpopProofMaker.header(HOLDER, JWSAlgorithm.ES256).build(),
                    DpopProofMaker.claims(ENDPOINT, Instant.now()).claim("pad", "x".repeat(9000)).build())));
        }

        @Test
        @DisplayName("discovery lists the proof algorithms")
        void advertised() throws Exception {
            JsonNode metadata = json(api.handle(Requests.get(Endpoints.OAUTH_METADATA_PATH).header("Host", HOST)
                    .build()));
            assertThat(metadata.get("dpop_signing_alg_values_supported")).extracting(JsonNode::asText)
                    .containsExactly("ES256", "PS256", "RS256");
        }
    }
}
