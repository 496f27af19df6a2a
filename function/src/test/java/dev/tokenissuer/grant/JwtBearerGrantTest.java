package dev.tokenissuer.grant;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.tokenissuer.api.ApiError;
import dev.tokenissuer.grant.TokenRequest;
import dev.tokenissuer.signing.SigningKey;
import dev.tokenissuer.store.PublicKeyCredential;
import dev.tokenissuer.store.ServiceUserState;
import dev.tokenissuer.testing.FakeCredentialStore;
import dev.tokenissuer.testing.InMemoryReplayGuard;
import dev.tokenissuer.testing.LocalSigningKeys;
import dev.tokenissuer.token.AccessTokenIssuer;
import dev.tokenissuer.token.AccessTokenProfile;
import dev.tokenissuer.token.TokenSubject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.tokenissuer.testing.ApiErrors.errorOf;
import static dev.tokenissuer.testing.ClientAssertions.frontierClaims;
import static dev.tokenissuer.testing.ClientAssertions.frontierHeader;
import static dev.tokenissuer.testing.ClientAssertions.raw;
import static dev.tokenissuer.testing.ClientAssertions.sign;
import static org.assertj.core.api.Assertions.assertThat;

/** One test per rule an assertion must satisfy, each with an assertion crafted here with Nimbus. */
class JwtBearerGrantTest {

    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    private static final String ISSUER = "https://issuer.example.test";
    private static final String TOKEN_ENDPOINT = "https://auth.example.test/v1beta1/auth/token";

    private static final String USER = "0b6f3f0e-1c2d-4e5f-8a9b-0c1d2e3f4a5b";
    private static final String OTHER_USER = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
    private static final String ORG = "org-42";
    private static final String KID = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
    private static final String EC_KID = "4a1b2c3d-0000-4000-8000-00000000ec01";
    private static final String OTHER_KID = "5b1b2c3d-0000-4000-8000-000000000002";
    private static final String WEAK_KID = "6c1b2c3d-0000-4000-8000-000000000003";
    private static final String DISABLED_KID = "7d1b2c3d-0000-4000-8000-000000000004";
    private static final String UNKNOWN_KID = "8e1b2c3d-0000-4000-8000-000000000005";

    private static final RSAKey RSA = rsa(KID);
    private static final RSAKey OTHER_RSA = rsa(OTHER_KID);
    private static final ECKey EC = ec();
    private static final RSAPublicKey WEAK_RSA = weakRsa();

    private final FakeCredentialStore store = new FakeCredentialStore()
            .with(new PublicKeyCredential(KID, USER, ORG, ServiceUserState.ENABLED, RSA.toPublicJWK()))
            .with(new PublicKeyCredential(EC_KID, USER, ORG, ServiceUserState.ENABLED, EC.toPublicJWK()))
            .with(new PublicKeyCredential(OTHER_KID, OTHER_USER, ORG, ServiceUserState.ENABLED,
                    OTHER_RSA.toPublicJWK()))
            .with(new PublicKeyCredential(WEAK_KID, USER, ORG, ServiceUserState.ENABLED,
                    new RSAKey.Builder(WEAK_RSA).build()))
            .with(new PublicKeyCredential(DISABLED_KID, USER, ORG, ServiceUserState.DISABLED, RSA.toPublicJWK()));
    private final InMemoryReplayGuard replayGuard = new InMemoryReplayGuard();
    private final AssertionRules rules = new AssertionRules(Set.of(ISSUER, TOKEN_ENDPOINT), false,
            Duration.ofSeconds(60), Duration.ofSeconds(3600), ISSUER);
    private final JwtBearerGrant grant = grant(rules);

    private JwtBearerGrant grant(AssertionRules withRules) {
        return new JwtBearerGrant(store, replayGuard, withRules, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static TokenRequest request(String assertion) {
        return new TokenRequest(JwtBearerGrant.GRANT_TYPE,
                assertion == null ? Map.of() : Map.of(JwtBearerGrant.ASSERTION, assertion), false);
    }

    /** The grant as the token endpoint runs it: no client authentication before it. */
    private static TokenSubject authorize(JwtBearerGrant grant, TokenRequest request) {
        return grant.authorize(request, Optional.empty(), RequestedAccess.of(request, java.util.List.of())).subject();
    }

    /** Frontier's claims for the RSA key, valid for five minutes from NOW. */
    private static JWTClaimsSet.Builder claims() {
        return frontierClaims(KID, USER, NOW, Duration.ofMinutes(5));
    }

    private static String signed(JWTClaimsSet.Builder claims) {
        return sign(frontierHeader(KID).build(), claims.build(), RSA);
    }

    private static String signed(JWSHeader.Builder header) {
        return sign(header.build(), claims().build(), RSA);
    }

    /**
     * Frontier's claims with some replaced by raw JSON values, signed by the registered key: Nimbus's claims builder
     * takes dates, so it could not write these.
     */
    private static String signedRaw(Map<String, Object> replaced) {
        Map<String, Object> payload = new java.util.LinkedHashMap<>(claims().build().toJSONObject());
        payload.putAll(replaced);
        JWSObject jws = new JWSObject(frontierHeader(KID).build(), new Payload(payload));
        try {
            jws.sign(new RSASSASigner(RSA));
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jws.serialize();
    }

    /** The seconds whose milliseconds overflow a long and wrap around to {@code instant} (to the next second). */
    private static long wrappingTo(Instant instant) {
        return java.math.BigInteger.ONE.shiftLeft(64).add(java.math.BigInteger.valueOf(instant.toEpochMilli() + 999))
                .divide(java.math.BigInteger.valueOf(1000)).longValueExact();
    }

    private TokenSubject accepted(String assertion) {
        return authorize(grant, request(assertion));
    }

    private void assertRefused(String assertion, AssertionFailure expected) {
        assertRefused(grant, assertion, expected);
    }

    private static void assertRefused(JwtBearerGrant grant, String assertion, AssertionFailure expected) {
        ApiError error = errorOf(() -> authorize(grant, request(assertion)));
        assertThat(error).isEqualTo(ApiError.of(expected.error()));
        assertThat(error.httpStatus()).isEqualTo(401);
        assertThat(error.grpcCode()).isEqualTo(16);
        assertThat(error.message()).isEqualTo("not authenticated");
        assertThat(error.error()).isEqualTo("invalid_grant");
        for (String part : assertion.split("\\.")) {
            if (part.length() >= 8) {
                assertThat(error.description()).as("echoes nothing of the assertion").doesNotContain(part);
            }
        }
    }

    @Test
    @DisplayName("answers to grant_type urn:ietf:params:oauth:grant-type:jwt-bearer")
    void grantType() {
        assertThat(grant.grantType()).isEqualTo("urn:ietf:params:oauth:grant-type:jwt-bearer");
    }

    @Nested
    @DisplayName("accepts")
    class Accepts {

        @Test
        @DisplayName("an assertion as Frontier's Go SDK builds it, for the key's service user, and spends its jti")
        void frontierStyle() throws Exception {
            JWTClaimsSet claims = claims().build();

            TokenSubject subject = accepted(sign(frontierHeader(KID).build(), claims, RSA));

            assertThat(subject).isEqualTo(new TokenSubject(USER, ORG, KID, TokenSubject.VIA_ASSERTION));
            assertThat(store.lookups()).containsExactly(KID);
            assertThat(replayGuard.attempts()).extracting(InMemoryReplayGuard.Use::jti)
                    .containsExactly(claims.getJWTID());
        }

        @Test
        @DisplayName("an RFC 7523 assertion without the kid claim, typ or nbf, signed PS256")
        void plainRfc7523() {
            JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer("client").subject(USER)
                    .expirationTime(Date.from(NOW.plusSeconds(60))).jwtID("one");

            assertThat(accepted(sign(new JWSHeader.Builder(JWSAlgorithm.PS256).keyID(KID).build(), claims.build(),
                    RSA)).serviceUserId()).isEqualTo(USER);
        }

        @Test
        @DisplayName("ES256 with a P-256 key")
        void es256() {
            String assertion = sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(EC_KID).build(),
                    frontierClaims(EC_KID, USER, NOW, Duration.ofMinutes(5)).build(), EC);

            assertThat(accepted(assertion).credentialId()).isEqualTo(EC_KID);
        }

        @Test
        @DisplayName("a kid in upper case: UUIDs compare case-insensitively")
        void upperCaseKid() {
            String upper = KID.toUpperCase(Locale.ROOT);
            String assertion = sign(frontierHeader(upper).build(),
                    frontierClaims(upper, USER, NOW, Duration.ofMinutes(5)).build(), RSA);

            assertThat(accepted(assertion).credentialId()).isEqualTo(KID);
        }

        @ParameterizedTest(name = "aud \"{0}\"")
        @ValueSource(strings = {ISSUER, TOKEN_ENDPOINT})
        @DisplayName("an aud that is exactly one of the accepted audiences")
        void acceptedAudience(String audience) {
            assertThat(accepted(signed(claims().audience(audience))).serviceUserId()).isEqualTo(USER);
        }

        @Test
        @DisplayName("an aud that is the token endpoint's URL as the request reached it, with no base URL configured")
        void audienceIsTheEndpointReached() {
            String reached = "https://abc123.execute-api.eu-west-1.amazonaws.com/v1beta1/auth/token";
            String assertion = signed(claims().audience(reached));
            TokenRequest request = new TokenRequest(JwtBearerGrant.GRANT_TYPE,
                    Map.of(JwtBearerGrant.ASSERTION, assertion), false, Optional.of(reached));
            TokenRequest elsewhere = new TokenRequest(JwtBearerGrant.GRANT_TYPE,
                    Map.of(JwtBearerGrant.ASSERTION, signed(claims().audience(reached))), false,
                    Optional.of("https://other.example.com/v1beta1/auth/token"));

            assertThat(authorize(grant, request).serviceUserId()).isEqualTo(USER);
            assertThat(errorOf(() -> authorize(grant, elsewhere)))
                    .isEqualTo(ApiError.of(AssertionFailure.AUDIENCE_REFUSED.error()));
        }

        @Test
        @DisplayName("an expiry, nbf and iat within the clock skew")
        void withinSkew() {
            JWTClaimsSet.Builder claims = claims().expirationTime(Date.from(NOW.minusSeconds(59)))
                    .issueTime(Date.from(NOW.minusSeconds(600))).notBeforeTime(Date.from(NOW.plusSeconds(59)));
            JWTClaimsSet.Builder issuedAhead = claims().issueTime(Date.from(NOW.plusSeconds(59)));

            assertThat(accepted(signed(claims)).serviceUserId()).isEqualTo(USER);
            assertThat(accepted(signed(issuedAhead)).serviceUserId()).isEqualTo(USER);
        }

        @Test
        @DisplayName("a lifetime of exactly the maximum, counted from an iat a little ahead of our clock")
        void longestLifetime() {
            JWTClaimsSet.Builder fromNow = claims().issueTime(Date.from(NOW))
                    .expirationTime(Date.from(NOW.plusSeconds(3600)));
            JWTClaimsSet.Builder fromIat = claims().issueTime(Date.from(NOW.plusSeconds(30)))
                    .expirationTime(Date.from(NOW.plusSeconds(3630)));

            assertThat(accepted(signed(fromNow)).serviceUserId()).isEqualTo(USER);
            assertThat(accepted(signed(fromIat)).serviceUserId()).isEqualTo(USER);
        }
    }

    @Nested
    @DisplayName("refuses an assertion that is not a compact JWS of three parts and at most 8 KiB")
    class Format {

        @Test
        @DisplayName("a missing assertion parameter is a malformed request: 400 invalid_request")
        void missing() {
            ApiError error = errorOf(() -> authorize(grant, request(null)));

            assertThat(error.httpStatus()).isEqualTo(400);
            assertThat(error.error()).isEqualTo("invalid_request");
        }

        @Test
        @DisplayName("oversized: more than 8 KiB, even when correctly signed")
        void oversized() {
            String assertion = signed(claims().claim("padding", "x".repeat(8 * 1024)));

            assertRefused(assertion, AssertionFailure.TOO_LARGE);
            assertThat(store.lookups()).isEmpty();
        }

        @ParameterizedTest(name = "{0} parts")
        @ValueSource(ints = {1, 2, 4})
        @DisplayName("two or four parts (and one)")
        void wrongNumberOfParts(int parts) {
            String[] valid = signed(claims()).split("\\.");
            String assertion = parts == 4 ? String.join(".", valid) + "." + valid[2]
                    : String.join(".", List.of(valid).subList(0, parts));

            assertRefused(assertion, AssertionFailure.MALFORMED);
            assertThat(store.lookups()).isEmpty();
        }

        @Test
        @DisplayName("a JWE (five parts), even encrypted to the registered key")
        void jwe() throws Exception {
            JWEObject jwe = new JWEObject(new JWEHeader.Builder(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A128GCM)
                    .keyID(KID).build(), new Payload(claims().build().toJSONObject()));
            jwe.encrypt(new RSAEncrypter(RSA.toRSAPublicKey()));
            String assertion = jwe.serialize();

            assertThat(assertion.split("\\.")).hasSize(5);
            assertRefused(assertion, AssertionFailure.MALFORMED);
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"trailing dot", "space", "padding", "empty payload", "not JSON", "JSON array",
                "duplicate alg", "exp as text"})
        @DisplayName("a part that is not base64url JSON of the right shape")
        void malformedParts(String what) {
            String valid = signed(claims());
            String[] p = valid.split("\\.");
            String header = "{\"alg\":\"RS256\",\"kid\":\"" + KID + "\"}";
            String assertion = switch (what) {
                case "trailing dot" -> valid + ".";
                case "space" -> p[0] + "." + p[1] + " ." + p[2];
                case "padding" -> p[0] + "=." + p[1] + "." + p[2];
                case "empty payload" -> p[0] + ".." + p[2];
                case "not JSON" -> raw(header, "not json", new byte[256]);
                case "JSON array" -> raw(header, "[1,2]", new byte[256]);
                case "duplicate alg" -> raw("{\"alg\":\"RS256\",\"alg\":\"ES256\",\"kid\":\"" + KID + "\"}",
                        "{}", new byte[256]);
                case "exp as text" -> raw(header, "{\"exp\":\"tomorrow\"}", new byte[256]);
                default -> throw new IllegalArgumentException(what);
            };

            assertRefused(assertion, AssertionFailure.MALFORMED);
            assertThat(store.lookups()).isEmpty();
        }
    }

    @Nested
    @DisplayName("refuses an algorithm or header parameter that is not accepted")
    class Algorithms {

        @ParameterizedTest(name = "alg \"{0}\"")
        @ValueSource(strings = {"none", "None", "NONE", "nOnE"})
        @DisplayName("alg none in its case variants, with a signature or none")
        void algNone(String alg) {
            String header = "{\"alg\":\"" + alg + "\",\"kid\":\"" + KID + "\",\"typ\":\"JWT\"}";
            String payload = claims().build().toString();
            String withSignature = raw(header, payload, Base64URL.from(signed(claims()).split("\\.")[2]).decode());
            String unsecured = raw(header, payload, new byte[0]);

            assertRefused(withSignature, AssertionFailure.ALGORITHM_REFUSED);
            assertThat(errorOf(() -> authorize(grant, request(unsecured))).error()).isEqualTo("invalid_grant");
            assertThat(store.lookups()).isEmpty();
            assertThat(replayGuard.attempts()).isEmpty();
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"PEM", "DER", "JWK JSON"})
        @DisplayName("HS256 made with the registered public key as the HMAC secret")
        void hmacWithThePublicKey(String encoding) throws Exception {
            byte[] der = RSA.toRSAPublicKey().getEncoded();
            byte[] secret = switch (encoding) {
                case "PEM" -> ("-----BEGIN PUBLIC KEY-----\n" + Base64.encode(der) + "\n-----END PUBLIC KEY-----\n")
                        .getBytes(StandardCharsets.US_ASCII);
                case "DER" -> der;
                default -> RSA.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
            };
            String assertion = sign(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(KID).type(JOSEObjectType.JWT)
                    .build(), claims().build(), new MACSigner(secret));

            assertRefused(assertion, AssertionFailure.ALGORITHM_REFUSED);
            assertThat(store.lookups()).isEmpty();
        }

        @ParameterizedTest(name = "alg {0}")
        @ValueSource(strings = {"rs256", "RS384", "RS512", "ES384", "PS512", "EdDSA", "HS512", "RSA-OAEP"})
        @DisplayName("any other algorithm, however close in spelling")
        void otherAlgorithms(String alg) {
            String assertion = raw("{\"alg\":\"" + alg + "\",\"kid\":\"" + KID + "\"}", claims().build().toString(),
                    new byte[256]);

            assertRefused(assertion, AssertionFailure.ALGORITHM_REFUSED);
        }

        @Test
        @DisplayName("a header without alg")
        void noAlg() {
            assertRefused(raw("{\"kid\":\"" + KID + "\"}", claims().build().toString(), new byte[256]),
                    AssertionFailure.ALGORITHM_REFUSED);
        }

        @Test
        @DisplayName("a crit header, even naming a parameter that is present")
        void critHeader() {
            String assertion = signed(frontierHeader(KID).customParam("exp", NOW.getEpochSecond())
                    .criticalParams(Set.of("exp")));

            assertRefused(assertion, AssertionFailure.HEADER_REFUSED);
            assertThat(store.lookups()).isEmpty();
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"jku", "x5u", "jwk", "x5c", "b64"})
        @DisplayName("jku, x5u, jwk, x5c (and b64) headers: keys come from the store only")
        void keyHeaders(String parameter) throws Exception {
            // The attacker signs with a key of their own and points at it, or embeds it.
            RSAKey attacker = rsa(KID);
            JWSHeader.Builder header = frontierHeader(KID);
            switch (parameter) {
                case "jku" -> header.jwkURL(URI.create("https://attacker.example/jwks.json"));
                case "x5u" -> header.x509CertURL(URI.create("https://attacker.example/cert.pem"));
                case "jwk" -> header.jwk(attacker.toPublicJWK());
                case "x5c" -> header.x509CertChain(List.of(Base64.encode(attacker.toRSAPublicKey().getEncoded())));
                default -> {
                }
            }
            String assertion = parameter.equals("b64")
                    ? raw("{\"alg\":\"RS256\",\"kid\":\"" + KID + "\",\"b64\":true}", claims().build().toString(),
                    new byte[256])
                    : sign(header.build(), claims().build(), attacker);

            assertRefused(assertion, AssertionFailure.HEADER_REFUSED);
            assertThat(store.lookups()).isEmpty();
        }
    }

    @Nested
    @DisplayName("refuses a key that is not registered, active and fit for the algorithm")
    class Keys {

        @Test
        @DisplayName("a kid that is not registered, after one read")
        void unknownKid() {
            String assertion = sign(frontierHeader(UNKNOWN_KID).build(),
                    frontierClaims(UNKNOWN_KID, USER, NOW, Duration.ofMinutes(5)).build(), RSA);

            assertRefused(assertion, AssertionFailure.UNKNOWN_KEY);
            assertThat(store.lookups()).containsExactly(UNKNOWN_KID);
        }

        @ParameterizedTest(name = "kid \"{0}\"")
        @ValueSource(strings = {"", "key-1", "3f2504e0-4f89-41d3-9a0c-0305e82c330", "../secret#x"})
        @DisplayName("a missing kid or one that is not a UUID, without a read")
        void malformedKid(String kid) {
            JWSHeader.Builder header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid.isEmpty() ? null : kid);

            assertRefused(sign(header.build(), claims().claim("kid", null).build(), RSA),
                    AssertionFailure.UNKNOWN_KEY);
            assertThat(store.lookups()).isEmpty();
        }

        @Test
        @DisplayName("a deleted key")
        void deletedKey() {
            String assertion = signed(claims());
            store.without(KID);

            assertRefused(assertion, AssertionFailure.UNKNOWN_KEY);
        }

        @Test
        @DisplayName("a payload kid that differs from the header kid")
        void kidClaimMismatch() {
            assertRefused(signed(claims().claim("kid", OTHER_KID)), AssertionFailure.KID_MISMATCH);
            assertRefused(signed(claims().claim("kid", 42)), AssertionFailure.KID_MISMATCH);
            assertThat(store.lookups()).isEmpty();
        }

        @Test
        @DisplayName("ES256 with an RSA key, and RS256 with an EC key")
        void algorithmDoesNotFitKey() {
            String es256OnRsa = sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(KID).build(),
                    claims().build(), EC);
            String rs256OnEc = sign(frontierHeader(EC_KID).build(),
                    frontierClaims(EC_KID, USER, NOW, Duration.ofMinutes(5)).build(), RSA);

            assertRefused(es256OnRsa, AssertionFailure.ALGORITHM_DOES_NOT_FIT_KEY);
            assertRefused(rs256OnEc, AssertionFailure.ALGORITHM_DOES_NOT_FIT_KEY);
        }

        @Test
        @DisplayName("an RSA key shorter than 2048 bits, should one be in the store")
        void weakRsaKey() {
            String assertion = raw("{\"alg\":\"RS256\",\"kid\":\"" + WEAK_KID + "\"}",
                    frontierClaims(WEAK_KID, USER, NOW, Duration.ofMinutes(5)).build().toString(), new byte[128]);

            assertRefused(assertion, AssertionFailure.ALGORITHM_DOES_NOT_FIT_KEY);
        }

        @Test
        @DisplayName("an ES256 signature of all zeros (CVE-2022-21449)")
        void zeroEcSignature() {
            String header = "{\"alg\":\"ES256\",\"kid\":\"" + EC_KID + "\",\"typ\":\"JWT\"}";
            String assertion = raw(header, frontierClaims(EC_KID, USER, NOW, Duration.ofMinutes(5)).build()
                    .toString(), new byte[64]);

            assertRefused(assertion, AssertionFailure.SIGNATURE_INVALID);
            assertThat(replayGuard.attempts()).isEmpty();
        }

        @Test
        @DisplayName("a signature by another key under the registered kid")
        void signedByAnotherKey() {
            assertRefused(sign(frontierHeader(KID).build(), claims().build(), OTHER_RSA),
                    AssertionFailure.SIGNATURE_INVALID);
        }

        @Test
        @DisplayName("a payload changed after signing")
        void tamperedPayload() {
            String[] parts = signed(claims()).split("\\.");
            String tampered = Base64URL.encode(claims().subject(OTHER_USER).build().toString()).toString();

            assertRefused(parts[0] + "." + tampered + "." + parts[2], AssertionFailure.SIGNATURE_INVALID);
        }
    }

    @Nested
    @DisplayName("refuses claims that break a rule")
    class Claims {

        @Test
        @DisplayName("the key of another service user (sub names someone else)")
        void keyOfAnotherServiceUser() {
            String assertion = sign(frontierHeader(OTHER_KID).build(),
                    frontierClaims(OTHER_KID, USER, NOW, Duration.ofMinutes(5)).build(), OTHER_RSA);

            assertRefused(assertion, AssertionFailure.SUBJECT_MISMATCH);
            assertThat(replayGuard.attempts()).isEmpty();
        }

        @Test
        @DisplayName("a missing sub")
        void missingSubject() {
            assertRefused(signed(claims().subject(null)), AssertionFailure.SUBJECT_MISMATCH);
        }

        @Test
        @DisplayName("a missing iss")
        void missingIssuer() {
            assertRefused(signed(claims().issuer(null)), AssertionFailure.ISSUER_MISSING);
            assertRefused(signed(claims().issuer(" ")), AssertionFailure.ISSUER_MISSING);
        }

        @ParameterizedTest(name = "aud {0}")
        @ValueSource(strings = {"https://other.example.test", "https://issuer.example.test/",
                "HTTPS://ISSUER.EXAMPLE.TEST", "", "several", "empty list"})
        @DisplayName("a wrong aud, several audiences, or an empty one")
        void wrongAudience(String audience) throws Exception {
            String assertion = switch (audience) {
                case "several" -> signed(claims().audience(List.of(ISSUER, "https://other.example.test")));
                case "empty list" -> {
                    // Nimbus leaves an empty aud out when it serializes claims, so this payload is written by hand.
                    JWSObject jws = new JWSObject(frontierHeader(KID).build(), new Payload(
                            claims().build().toString().replaceFirst("^\\{", "{\"aud\":[],")));
                    jws.sign(new RSASSASigner(RSA));
                    yield jws.serialize();
                }
                default -> signed(claims().audience(audience));
            };

            assertRefused(assertion, AssertionFailure.AUDIENCE_REFUSED);
            assertThat(store.lookups()).isEmpty();
        }

        @Test
        @DisplayName("no aud when ASSERTION_REQUIRE_AUDIENCE is set")
        void audienceRequiredButAbsent() {
            JwtBearerGrant strict = grant(new AssertionRules(rules.acceptedAudiences(), true, rules.clockSkew(),
                    rules.maxLifetime(), ISSUER));

            assertRefused(strict, signed(claims()), AssertionFailure.AUDIENCE_MISSING);
            assertThat(authorize(strict, request(signed(claims().audience(ISSUER)))).serviceUserId())
                    .isEqualTo(USER);
        }

        @Test
        @DisplayName("a missing exp: such an assertion would never expire")
        void missingExpiry() {
            assertRefused(signed(claims().expirationTime(null)), AssertionFailure.EXPIRY_MISSING);
        }

        @Test
        @DisplayName("expired beyond the clock skew")
        void expired() {
            JWTClaimsSet.Builder claims = claims().issueTime(Date.from(NOW.minusSeconds(600)))
                    .notBeforeTime(Date.from(NOW.minusSeconds(600))).expirationTime(Date.from(NOW.minusSeconds(60)));

            assertRefused(signed(claims), AssertionFailure.EXPIRED);
            assertThat(store.lookups()).isEmpty();
        }

        @Test
        @DisplayName("not yet valid: nbf beyond the clock skew")
        void notBeforeInTheFuture() {
            assertRefused(signed(claims().notBeforeTime(Date.from(NOW.plusSeconds(61)))),
                    AssertionFailure.NOT_YET_VALID);
        }

        @Test
        @DisplayName("not yet valid: iat beyond the clock skew")
        void issuedInTheFuture() {
            assertRefused(signed(claims().issueTime(Date.from(NOW.plusSeconds(61)))), AssertionFailure.NOT_YET_VALID);
        }

        @ParameterizedTest(name = "exp = {0}")
        @ValueSource(strings = {"2305843009213693952", "9223372036854775807", "9223372036854775808", "-1",
                "1e300", "-1e300", "253402300800"})
        @DisplayName("an exp before 1970 or after the year 9999, without reading the key")
        void expiryOutOfRange(String exp) {
            assertRefused(signedRaw(Map.of("exp", new java.math.BigDecimal(exp))), AssertionFailure.DATE_OUT_OF_RANGE);
            assertThat(store.lookups()).isEmpty();
        }

        @Test
        @DisplayName("an exp whose milliseconds wrap around to a date five minutes from now")
        void expiryWrappingToANearDate() {
            long wraps = wrappingTo(NOW.plusSeconds(300));

            assertRefused(signedRaw(Map.of("exp", wraps)), AssertionFailure.DATE_OUT_OF_RANGE);
            assertThat(replayGuard.attempts()).isEmpty();
        }

        @Test
        @DisplayName("an nbf or iat near overflow, even one that wraps around to a past date")
        void notBeforeAndIssuedAtOutOfRange() {
            long wrapsToAnHourAgo = wrappingTo(NOW.minusSeconds(3600));
            for (String claim : List.of("nbf", "iat")) {
                assertRefused(signedRaw(Map.of(claim, Long.MAX_VALUE / 1000 + 1)), AssertionFailure.DATE_OUT_OF_RANGE);
                assertRefused(signedRaw(Map.of(claim, wrapsToAnHourAgo)), AssertionFailure.DATE_OUT_OF_RANGE);
                assertRefused(signedRaw(Map.of(claim, -1L)), AssertionFailure.DATE_OUT_OF_RANGE);
            }
            assertThat(store.lookups()).isEmpty();
        }

        @Test
        @DisplayName("a date claim with a fraction of a second is still a date (RFC 7519 NumericDate)")
        void fractionalDates() {
            double now = NOW.getEpochSecond();
            String assertion = signedRaw(Map.of("iat", now + 0.25, "nbf", now + 0.25, "exp", now + 300.5));

            assertThat(accepted(assertion).serviceUserId()).isEqualTo(USER);
        }

        @Test
        @DisplayName("too long lived: exp - max(iat, now) above an hour")
        void tooLongLived() {
            JWTClaimsSet.Builder fromNow = claims().expirationTime(Date.from(NOW.plusSeconds(3601)));
            JWTClaimsSet.Builder backdated = claims().issueTime(Date.from(NOW.minusSeconds(7200)))
                    .expirationTime(Date.from(NOW.plusSeconds(3601)));
            JWTClaimsSet.Builder withoutIat = claims().issueTime(null).expirationTime(Date.from(NOW.plusSeconds(3601)));

            assertRefused(signed(fromNow), AssertionFailure.LIFETIME_TOO_LONG);
            assertRefused(signed(backdated), AssertionFailure.LIFETIME_TOO_LONG);
            assertRefused(signed(withoutIat), AssertionFailure.LIFETIME_TOO_LONG);
        }

        @Test
        @DisplayName("Frontier's Go SDK validity of 12 hours by default, but not once the limit is raised")
        void frontierGoSdkValidity() {
            JWTClaimsSet.Builder twelveHours = frontierClaims(KID, USER, NOW, Duration.ofHours(12));
            JwtBearerGrant lenient = grant(new AssertionRules(rules.acceptedAudiences(), false, rules.clockSkew(),
                    Duration.ofHours(12), ISSUER));

            assertRefused(signed(twelveHours), AssertionFailure.LIFETIME_TOO_LONG);
            assertThat(authorize(lenient, request(signed(twelveHours))).serviceUserId()).isEqualTo(USER);
        }

        @Test
        @DisplayName("a missing jti")
        void missingJti() {
            assertRefused(signed(claims().jwtID(null)), AssertionFailure.JTI_MISSING);
            assertRefused(signed(claims().jwtID("")), AssertionFailure.JTI_MISSING);
            assertThat(store.lookups()).isEmpty();
        }
    }

    @Nested
    @DisplayName("single use")
    class Replay {

        @Test
        @DisplayName("refuses an assertion used before")
        void replayedSequentially() {
            String assertion = signed(claims());
            accepted(assertion);

            assertRefused(assertion, AssertionFailure.REPLAYED);
        }

        @Test
        @DisplayName("gives the assertion back when the token cannot be made: the client's retry gets one")
        void releasedWhenIssuingFails() {
            String assertion = signed(claims());
            TokenRequest request = request(assertion);

            Grants grants = new Grants(java.util.List.of(grant), java.util.List.of(new ClientSecretAuthentication(store)));
            RecordedUses failed = new RecordedUses();
            grants.authorize(request, failed);
            failed.releaseAfter(new IllegalStateException("KMS did not answer"));
            TokenSubject retried = grants.authorize(request, new RecordedUses());

            assertThat(retried.serviceUserId()).isEqualTo(USER);
            assertThat(replayGuard.releases()).hasSize(1);
            assertRefused(assertion, AssertionFailure.REPLAYED);
        }

        @Test
        @DisplayName("keeps the replay record until the assertion's exp plus the clock skew")
        void rememberedUntilExpiryPlusSkew() throws Exception {
            JWTClaimsSet claims = claims().build();
            accepted(sign(frontierHeader(KID).build(), claims, RSA));

            assertThat(replayGuard.attempts().get(0).rememberUntil())
                    .isEqualTo(claims.getExpirationTime().toInstant().plusSeconds(60));
        }

        @Test
        @DisplayName("spends the jti only for an assertion that passed every other rule")
        void failuresSpendNothing() {
            errorOf(() -> accepted(sign(frontierHeader(KID).build(), claims().build(), OTHER_RSA)));
            errorOf(() -> accepted(signed(claims().subject(OTHER_USER))));
            errorOf(() -> accepted(signed(claims().expirationTime(Date.from(NOW.minusSeconds(3600))))));

            assertThat(replayGuard.attempts()).isEmpty();
        }
    }

    @Test
    @DisplayName("a correct assertion of a disabled service user is 403, and does not spend its jti")
    void disabledServiceUser() {
        String assertion = sign(frontierHeader(DISABLED_KID).build(),
                frontierClaims(DISABLED_KID, USER, NOW, Duration.ofMinutes(5)).build(), RSA);

        ApiError error = errorOf(() -> accepted(assertion));

        assertThat(error).isEqualTo(ApiError.of(OAuthError.serviceUserDisabled()));
        assertThat(error.httpStatus()).isEqualTo(403);
        assertThat(replayGuard.attempts()).isEmpty();
    }

    @Nested
    @DisplayName("refuses one of our own access tokens")
    class OwnAccessTokens {

        @Test
        @DisplayName("as issued, whatever its kid")
        void ourToken() {
            AccessTokenIssuer issuer = new AccessTokenIssuer(LocalSigningKeys.rsa(), Duration.ofMinutes(5),
                    List.of(), AccessTokenProfile.FRONTIER, Clock.fixed(NOW, ZoneOffset.UTC));
            String token = issuer.issue(new TokenSubject(USER, ORG, KID, TokenSubject.VIA_ASSERTION), ISSUER)
                    .accessToken();

            assertRefused(token, AssertionFailure.ACCESS_TOKEN);
            assertThat(store.lookups()).isEmpty();
        }

        @Test
        @DisplayName("signed by our signing key without any access-token mark: its kid is no registered key")
        void signedByOurSigningKey() {
            SigningKey ours = LocalSigningKeys.rsa().signingKey();
            String assertion = sign(frontierHeader(ours.kid()).build(),
                    frontierClaims(ours.kid(), USER, NOW, Duration.ofMinutes(5)).build(), ours.signer());

            assertRefused(assertion, AssertionFailure.UNKNOWN_KEY);
            assertThat(store.lookups()).isEmpty();
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"typ at+jwt", "typ application/at+jwt", "gen system", "our iss"})
        @DisplayName("by the marks of an access token, even signed with a registered key")
        void accessTokenMarks(String mark) {
            String assertion = switch (mark) {
                case "typ at+jwt" -> signed(frontierHeader(KID).type(new JOSEObjectType("at+jwt")));
                case "typ application/at+jwt" -> signed(frontierHeader(KID)
                        .type(new JOSEObjectType("application/AT+JWT")));
                case "gen system" -> signed(claims().claim("gen", "system"));
                default -> signed(claims().issuer(ISSUER));
            };

            assertRefused(assertion, AssertionFailure.ACCESS_TOKEN);
            assertThat(store.lookups()).isEmpty();
        }
    }

    private static RSAKey rsa(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ECKey ec() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(EC_KID).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSAPublicKey weakRsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(1024);
            return (RSAPublicKey) generator.generateKeyPair().getPublic();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
