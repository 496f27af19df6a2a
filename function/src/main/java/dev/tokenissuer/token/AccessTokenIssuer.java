package dev.tokenissuer.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Builds and signs access tokens with the claims Frontier's resource servers read: {@code iss}, {@code sub},
 * {@code iat}, {@code nbf}, {@code exp}, {@code jti}, and the string claims {@code kid}, {@code gen},
 * {@code sub_type}, {@code org_ids} and (newer Frontier) {@code auth_via}; plus {@code client_id}; {@code aud}: the
 * resources the client asked for, else the configured audience, if any; and {@code scope} when scopes were granted.
 */
public final class AccessTokenIssuer {

    private final SigningKeys keys;
    private final String issuer;
    private final Duration ttl;
    private final List<String> audience;
    private final Clock clock;

    public AccessTokenIssuer(SigningKeys keys, String issuer, Duration ttl, List<String> audience, Clock clock) {
        this.keys = keys;
        this.issuer = issuer;
        this.ttl = ttl;
        this.audience = List.copyOf(audience);
        this.clock = clock;
    }

    public IssuedToken issue(TokenSubject subject) {
        return issue(subject, issuer);
    }

    /** A token whose {@code iss} is {@code issuer}: the one the request's API derived (see the API's IssuerName). */
    public IssuedToken issue(TokenSubject subject, String issuer) {
        SigningKey key = keys.signingKey();
        // Whole seconds: JWT NumericDates are seconds, and exp - iat must equal expires_in exactly.
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Instant expiry = now.plus(ttl);
        String jti = UUID.randomUUID().toString();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(subject.serviceUserId())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(expiry))
                .jwtID(jti)
                .claim("client_id", subject.credentialId())
                .claim("kid", key.kid())
                .claim("gen", "system")
                .claim("sub_type", "app/serviceuser")
                .claim("org_ids", subject.orgId())
                .claim("auth_via", subject.authVia());
        GrantedAccess access = subject.access();
        List<String> tokenAudience = access.audiences().isEmpty() ? audience : access.audiences();
        if (!tokenAudience.isEmpty()) {
            claims.audience(tokenAudience);
        }
        if (!access.scopes().isEmpty()) {
            // RFC 9068 §2.2.3 and Cognito: one space-delimited string, which API Gateway's JWT authorizers read.
            claims.claim("scope", access.scope());
        }
        subject.boundKey().ifPresent(jkt -> claims.claim("cnf", Map.of("jkt", jkt)));
        JWSHeader header = new JWSHeader.Builder(key.algorithm())
                .type(JOSEObjectType.JWT)
                .keyID(key.kid())
                .build();
        SignedJWT jwt = new SignedJWT(header, claims.build());
        try {
            jwt.sign(key.signer());
        } catch (JOSEException e) {
            throw new TokenSigningException(e);
        }
        return new IssuedToken(jwt.serialize(), ttl.toSeconds(),
                subject.boundKey().isPresent() ? IssuedToken.DPOP : IssuedToken.BEARER, jti, expiry, access.scope());
    }
}
