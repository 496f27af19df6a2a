package dev.tokenissuer.token;

import dev.tokenissuer.signing.SigningKey;
import dev.tokenissuer.signing.SigningKeys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Builds and signs access tokens with the claims Frontier's resource servers read: {@code iss}, {@code sub},
 * {@code iat}, {@code nbf}, {@code exp}, {@code jti}, and the string claims {@code kid}, {@code gen},
 * {@code sub_type}, {@code org_ids} and (newer Frontier) {@code auth_via}; plus {@code client_id}; {@code aud}: the
 * resources the client asked for, else the configured audience, if any; {@code scope} when scopes were granted;
 * and the service user's static claims ({@link CustomClaims}). It lives the service user's own lifetime, if it has one
 * (at most the deployment's maximum), else the deployment's. The {@link AccessTokenProfile} sets the header's
 * {@code typ} and whether {@code aud} is required. The issuer is the caller's to name (one per request: the API's
 * IssuerName), so it is not configured here.
 */
public final class AccessTokenIssuer {

    private final SigningKeys keys;
    private final Duration ttl;
    private final Duration maxTtl;
    private final List<String> audience;
    private final AccessTokenProfile profile;
    private final Clock clock;

    /** @param audience the {@code aud} of a token whose request named no resource; may be empty */
    public AccessTokenIssuer(SigningKeys keys, Duration ttl, List<String> audience, AccessTokenProfile profile,
                             Clock clock) {
        this(keys, ttl, ttl, audience, profile, clock);
    }

    /**
     * @param ttl    the lifetime of a token whose service user has none of its own
     * @param maxTtl the longest a service user's own lifetime is honoured (a longer stored one is cut to it)
     */
    public AccessTokenIssuer(SigningKeys keys, Duration ttl, Duration maxTtl, List<String> audience,
                             AccessTokenProfile profile,
                             Clock clock) {
        this.keys = keys;
        this.ttl = ttl;
        this.maxTtl = maxTtl.compareTo(ttl) < 0 ? ttl : maxTtl;
        this.audience = List.copyOf(audience);
        this.profile = profile;
        this.clock = clock;
    }

    /**
     * Whether a request must name a resource to get a token: under RFC 9068 every token has an {@code aud}, and
     * without a configured default audience only the request can give one. The API refuses such a request before
     * anything is spent ({@code invalid_target}).
     */
    public boolean needsRequestedResource() {
        return profile.audienceRequired() && audience.isEmpty();
    }

    /** A token whose {@code iss} is {@code issuer}: the one the request's API derived (see the API's IssuerName). */
    public IssuedToken issue(TokenSubject subject, String issuer) {
        SigningKey key = keys.signingKey();
        // Whole seconds: JWT NumericDates are seconds, and exp - iat must equal expires_in exactly.
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        GrantedAccess access = subject.access();
        // A lifetime stored before the deployment's maximum was lowered is cut to it.
        Duration lifetime = access.policy().lifetime().map(own -> own.compareTo(maxTtl) > 0 ? maxTtl : own)
                .orElse(ttl);
        Instant expiry = now.plus(lifetime);
        String jti = UUID.randomUUID().toString();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("sub", subject.serviceUserId());
        claims.put("iat", now.getEpochSecond());
        claims.put("nbf", now.getEpochSecond());
        claims.put("exp", expiry.getEpochSecond());
        claims.put("jti", jti);
        claims.put("client_id", subject.credentialId());
        claims.put("kid", key.kid());
        claims.put("gen", "system");
        claims.put("sub_type", "app/serviceuser");
        claims.put("org_ids", subject.orgId());
        claims.put("auth_via", subject.authVia());
        List<String> tokenAudience = access.audiences().isEmpty() ? audience : access.audiences();
        if (!tokenAudience.isEmpty()) {
            // One audience as a string, several as an array (RFC 7519 §4.1.3), as JOSE libraries write it.
            claims.put("aud", tokenAudience.size() == 1 ? tokenAudience.get(0) : tokenAudience);
        } else if (profile.audienceRequired()) {
            // The API refuses such a request first (needsRequestedResource); a token without aud is never made.
            throw new IllegalStateException("an RFC 9068 access token needs an audience");
        }
        if (!access.scopes().isEmpty()) {
            // RFC 9068 §2.2.3 and Cognito: one space-delimited string, which API Gateway's JWT authorizers read.
            claims.put("scope", access.scope());
        }
        subject.boundKey().ifPresent(jkt -> claims.put("cnf", Map.of("jkt", jkt)));
        // The service user's static claims never replace one of ours, even one reserved after they were stored.
        access.policy().claims().forEach((name, value) -> {
            if (!CustomClaims.isReserved(name)) {
                claims.putIfAbsent(name, value);
            }
        });
        String token = CompactJwsSigner.sign(key, profile.type(), claims);
        return new IssuedToken(token, lifetime.toSeconds(),
                subject.boundKey().isPresent() ? IssuedToken.DPOP : IssuedToken.BEARER, jti, expiry, access.scope());
    }
}
