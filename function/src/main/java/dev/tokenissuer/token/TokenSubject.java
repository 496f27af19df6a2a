package dev.tokenissuer.token;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Who a token is issued to, through which credential, what it grants, and to which key it is bound.
 *
 * @param serviceUserId the service user (the token's {@code sub})
 * @param orgId         its organization (the token's {@code org_ids})
 * @param credentialId  the client id or key id that authenticated the request (the token's {@code client_id})
 * @param authVia       the kind of credential that authenticated (the token's {@code auth_via}): Frontier's
 *                      {@value #VIA_CLIENT_SECRET} or {@value #VIA_ASSERTION}, or {@value #VIA_PRIVATE_KEY_JWT}
 * @param access        the granted scopes and audiences (the token's {@code scope} and {@code aud})
 * @param boundKey      the RFC 7638 thumbprint of the key a DPoP proof showed the client holds (the token's
 *                      {@code cnf.jkt}, RFC 9449 §6.1); empty for a bearer token
 * @param credentialValidUntil when the credential that authenticated expires, for the audit line; empty if never
 */
public record TokenSubject(String serviceUserId, String orgId, String credentialId, String authVia,
                           GrantedAccess access, Optional<String> boundKey, Optional<Instant> credentialValidUntil) {

    /** A client secret authenticated the request. */
    public static final String VIA_CLIENT_SECRET = "client_credentials";
    /** A signed assertion (jwt-bearer) authenticated the request. */
    public static final String VIA_ASSERTION = "jwt_grant";
    /** A client assertion signed with the service user's key (private_key_jwt) authenticated the request. */
    public static final String VIA_PRIVATE_KEY_JWT = "private_key_jwt";

    public TokenSubject {
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(boundKey, "boundKey");
        Objects.requireNonNull(credentialValidUntil, "credentialValidUntil");
    }

    public TokenSubject(String serviceUserId, String orgId, String credentialId, String authVia,
                        GrantedAccess access, Optional<String> boundKey) {
        this(serviceUserId, orgId, credentialId, authVia, access, boundKey, Optional.empty());
    }

    /** A bearer token's subject, granted no scopes and no audiences: a Frontier token. */
    public TokenSubject(String serviceUserId, String orgId, String credentialId, String authVia) {
        this(serviceUserId, orgId, credentialId, authVia, GrantedAccess.NONE, Optional.empty());
    }

    /** A bearer token's subject, granted {@code access}. */
    public TokenSubject(String serviceUserId, String orgId, String credentialId, String authVia,
                        GrantedAccess access) {
        this(serviceUserId, orgId, credentialId, authVia, access, Optional.empty());
    }

    public TokenSubject withAccess(GrantedAccess granted) {
        return new TokenSubject(serviceUserId, orgId, credentialId, authVia, granted, boundKey, credentialValidUntil);
    }

    /** The same subject, its token bound to the key with thumbprint {@code jkt}. */
    public TokenSubject boundTo(String jkt) {
        return new TokenSubject(serviceUserId, orgId, credentialId, authVia, access, Optional.of(jkt),
                credentialValidUntil);
    }

    /** The same subject, its credential expiring at {@code validUntil} (empty: never). */
    public TokenSubject credentialValidUntil(Optional<Instant> validUntil) {
        return new TokenSubject(serviceUserId, orgId, credentialId, authVia, access, boundKey, validUntil);
    }
}
