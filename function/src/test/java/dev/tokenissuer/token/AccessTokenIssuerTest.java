package dev.tokenissuer.token;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tokenissuer.testing.LocalSigningKeys;
import dev.tokenissuer.token.TokenSubject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccessTokenIssuerTest {

    private static final Instant NOW = Instant.parse("2026-11-29T02:30:00.750Z");
    private static final Instant NOW_SECONDS = Instant.parse("2026-11-29T02:30:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Duration TTL = Duration.ofSeconds(3600);
    private static final TokenSubject SUBJECT = new TokenSubject(
            "0b6f3f0e-1c2d-4e5f-8a9b-0c1d2e3f4a5b", "7d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6",
            "5e0ad0a4-8b7c-4c8e-9f0e-2b7f3c1d6a90", TokenSubject.VIA_CLIENT_SECRET);

    private final LocalSigningKeys rsa = LocalSigningKeys.rsa();

    private static SignedJWT issue(LocalSigningKeys keys, List<String> audience) throws Exception {
        AccessTokenIssuer issuer = new AccessTokenIssuer(keys, TTL, audience, AccessTokenProfile.FRONTIER, CLOCK);
        return SignedJWT.parse(issuer.issue(SUBJECT, "https://issuer.example").accessToken());
    }

    /** RFC 7638 §3, computed here from the JWK's members rather than by the library that set the kid. */
    private static String rfc7638Thumbprint(JWK publicJwk) throws Exception {
        var members = publicJwk.toJSONObject();
        String canonical = switch (publicJwk.getKeyType().getValue()) {
            case "RSA" -> "{\"e\":\"" + members.get("e") + "\",\"kty\":\"RSA\",\"n\":\"" + members.get("n") + "\"}";
            case "EC" -> "{\"crv\":\"" + members.get("crv") + "\",\"kty\":\"EC\",\"x\":\"" + members.get("x")
                    + "\",\"y\":\"" + members.get("y") + "\"}";
            default -> throw new IllegalArgumentException(publicJwk.getKeyType().getValue());
        };
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }

    @Test
    @DisplayName("the header says RS256, JWT, and the RFC 7638 thumbprint of the public key as kid")
    void rsaHeader() throws Exception {
        SignedJWT jwt = issue(rsa, List.of());

        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(jwt.getHeader().getType()).isEqualTo(JOSEObjectType.JWT);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(rfc7638Thumbprint(rsa.publicJwk()));
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(rsa.publicJwk().getKeyID());
    }

    @Test
    @DisplayName("the claims are the ones Frontier's resource servers read, plus client_id")
    void claims() throws Exception {
        JWTClaimsSet claims = issue(rsa, List.of()).getJWTClaimsSet();

        assertThat(claims.getIssuer()).isEqualTo("https://issuer.example");
        assertThat(claims.getSubject()).isEqualTo(SUBJECT.serviceUserId());
        assertThat(claims.getIssueTime()).isEqualTo(Date.from(NOW_SECONDS));
        assertThat(claims.getNotBeforeTime()).isEqualTo(claims.getIssueTime());
        assertThat(claims.getExpirationTime()).isEqualTo(Date.from(NOW_SECONDS.plus(TTL)));
        assertThat(claims.getJWTID()).isNotBlank();
        assertThat(claims.getStringClaim("client_id")).isEqualTo(SUBJECT.credentialId());
        assertThat(claims.getStringClaim("kid")).isEqualTo(rsa.publicJwk().getKeyID());
        assertThat(claims.getStringClaim("gen")).isEqualTo("system");
        assertThat(claims.getStringClaim("sub_type")).isEqualTo("app/serviceuser");
        assertThat(claims.getStringClaim("org_ids")).isEqualTo(SUBJECT.orgId());
    }

    @Test
    @DisplayName("auth_via says which kind of credential got the token, in newer Frontier's words")
    void authVia() throws Exception {
        AccessTokenIssuer issuer = new AccessTokenIssuer(rsa, TTL, List.of(), AccessTokenProfile.FRONTIER, CLOCK);
        TokenSubject viaAssertion = new TokenSubject(SUBJECT.serviceUserId(), SUBJECT.orgId(), SUBJECT.credentialId(),
                TokenSubject.VIA_ASSERTION);

        assertThat(SignedJWT.parse(issuer.issue(SUBJECT, "iss").accessToken()).getJWTClaimsSet()
                .getStringClaim("auth_via")).isEqualTo("client_credentials");
        assertThat(SignedJWT.parse(issuer.issue(viaAssertion, "iss").accessToken()).getJWTClaimsSet()
                .getStringClaim("auth_via")).isEqualTo("jwt_grant");
    }

    @Test
    @DisplayName("iat, nbf and exp are whole seconds, and exp - iat is exactly expires_in")
    void wholeSeconds() throws Exception {
        AccessTokenIssuer issuer = new AccessTokenIssuer(rsa, TTL, List.of(), AccessTokenProfile.FRONTIER, CLOCK);

        IssuedToken token = issuer.issue(SUBJECT, "iss");
        var payload = SignedJWT.parse(token.accessToken()).getPayload().toJSONObject();

        assertThat(payload.get("iat")).isEqualTo(NOW_SECONDS.getEpochSecond());
        assertThat(payload.get("nbf")).isEqualTo(NOW_SECONDS.getEpochSecond());
        assertThat((Long) payload.get("exp") - (Long) payload.get("iat")).isEqualTo(token.expiresInSeconds());
        assertThat(token.expiresInSeconds()).isEqualTo(3600);
    }

    @Test
    @DisplayName("every token gets its own jti")
    void uniqueJti() throws Exception {
        String first = issue(rsa, List.of()).getJWTClaimsSet().getJWTID();
        String second = issue(rsa, List.of()).getJWTClaimsSet().getJWTID();

        assertThat(first).isNotEqualTo(second);
    }

    @Test
    @DisplayName("there is no aud unless an audience is configured")
    void noAudienceByDefault() throws Exception {
        SignedJWT jwt = issue(rsa, List.of());

        assertThat(jwt.getJWTClaimsSet().getAudience()).isEmpty();
        assertThat(jwt.getPayload().toJSONObject()).doesNotContainKey("aud");
    }

    @Test
    @DisplayName("aud carries the configured audience")
    void configuredAudience() throws Exception {
        assertThat(issue(rsa, List.of("api-a")).getJWTClaimsSet().getAudience()).containsExactly("api-a");
        assertThat(issue(rsa, List.of("api-a", "api-b")).getJWTClaimsSet().getAudience())
                .containsExactly("api-a", "api-b");
    }

    @Test
    @DisplayName("the RS256 signature verifies with the published public JWK")
    void rsaSignatureVerifies() throws Exception {
        SignedJWT jwt = issue(rsa, List.of());
        // The JWK as a resource server would get it from the JWKS: parsed from JSON, public members only.
        JWK published = JWK.parse(rsa.verificationKeys().get(0).toJSONString());
        JWSVerifier verifier = new RSASSAVerifier(published.toRSAKey());

        assertThat(published.isPrivate()).isFalse();
        assertThat(jwt.verify(verifier)).isTrue();
    }

    @Test
    @DisplayName("a token altered after signing does not verify")
    void tamperedTokenFailsVerification() throws Exception {
        String[] parts = issue(rsa, List.of()).serialize().split("\\.");
        String otherClaims = issue(rsa, List.of("someone-else")).serialize().split("\\.")[1];
        SignedJWT tampered = SignedJWT.parse(parts[0] + "." + otherClaims + "." + parts[2]);

        assertThat(tampered.verify(new RSASSAVerifier(rsa.publicJwk().toRSAKey()))).isFalse();
    }

    @Test
    @DisplayName("an EC P-256 key signs ES256 tokens that verify with its public JWK")
    void ecKey() throws Exception {
        LocalSigningKeys ec = LocalSigningKeys.ec();

        SignedJWT jwt = issue(ec, List.of());
        JWK published = JWK.parse(ec.verificationKeys().get(0).toJSONString());

        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(jwt.getHeader().getType()).isEqualTo(JOSEObjectType.JWT);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(rfc7638Thumbprint(ec.publicJwk()));
        assertThat(jwt.getJWTClaimsSet().getStringClaim("kid")).isEqualTo(jwt.getHeader().getKeyID());
        // JOSE ECDSA signatures are R || S, 64 bytes for P-256 (not DER).
        assertThat(jwt.getSignature().decode()).hasSize(64);
        assertThat(jwt.verify(new ECDSAVerifier(published.toECKey()))).isTrue();
    }

    @Test
    @DisplayName("RFC 9068: header typ at+jwt; aud the requested resources, else the configured default")
    void rfc9068Profile() throws Exception {
        AccessTokenIssuer issuer = new AccessTokenIssuer(rsa, TTL, List.of("https://default.example"),
                AccessTokenProfile.RFC9068, CLOCK);
        TokenSubject withResource = SUBJECT.withAccess(new GrantedAccess(List.of(), List.of("https://orders.example")));

        SignedJWT byDefault = SignedJWT.parse(issuer.issue(SUBJECT, "iss").accessToken());
        SignedJWT asked = SignedJWT.parse(issuer.issue(withResource, "iss").accessToken());

        assertThat(byDefault.getHeader().getType()).isEqualTo(new JOSEObjectType("at+jwt"));
        assertThat(byDefault.getJWTClaimsSet().getAudience()).containsExactly("https://default.example");
        assertThat(asked.getJWTClaimsSet().getAudience()).containsExactly("https://orders.example");
        assertThat(byDefault.verify(new RSASSAVerifier(rsa.publicJwk().toRSAKey()))).isTrue();
        assertThat(issuer.needsRequestedResource()).isFalse();
    }

    @Test
    @DisplayName("RFC 9068 without a default audience: a request must name a resource, and no token without aud is made")
    void rfc9068WithoutDefaultAudience() {
        AccessTokenIssuer issuer = new AccessTokenIssuer(rsa, TTL, List.of(), AccessTokenProfile.RFC9068, CLOCK);

        assertThat(issuer.needsRequestedResource()).isTrue();
        assertThatThrownBy(() -> issuer.issue(SUBJECT, "iss")).isInstanceOf(IllegalStateException.class);
        assertThat(new AccessTokenIssuer(rsa, TTL, List.of(), AccessTokenProfile.FRONTIER, CLOCK)
                .needsRequestedResource()).isFalse();
    }

    @Test
    @DisplayName("the profile is named by frontier or rfc9068, in any case, and nothing else")
    void profileNames() {
        assertThat(AccessTokenProfile.named("frontier")).isEqualTo(AccessTokenProfile.FRONTIER);
        assertThat(AccessTokenProfile.named(" RFC9068 ")).isEqualTo(AccessTokenProfile.RFC9068);
        assertThatThrownBy(() -> AccessTokenProfile.named("jwt")).isInstanceOf(IllegalArgumentException.class);
    }
}
