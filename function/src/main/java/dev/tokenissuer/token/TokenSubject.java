package dev.tokenissuer.token;

import java.util.Objects;

/**
 * Who a token is issued to, through which credential, and what it grants.
 *
 * @param serviceUserId the service user (the token's {@code sub})
 * @param orgId         its organization (the token's {@code org_ids})
 * @param credentialId  the client id or key id that authenticated the request (the token's {@code client_id})
 * @param authVia       the kind of credential that authenticated, in Frontier's words (the token's
 *                      {@code auth_via}): {@value #VIA_CLIENT_SECRET} or {@value #VIA_ASSERTION}
 * @param access        the granted scopes and audiences (the token's {@code scope} and {@code aud})
 */
public record TokenSubject(String serviceUserId, String orgId, String credentialId, String authVia,
                           GrantedAccess access) {

    /** A client secret authenticated the request. */
    public static final String VIA_CLIENT_SECRET = "client_credentials";
    /** A signed assertion (jwt-bearer) authenticated the request. */
    public static final String VIA_ASSERTION = "jwt_grant";

    public TokenSubject {
        Objects.requireNonNull(access, "access");
    }

    /** A subject granted no scopes and no audiences: a Frontier token. */
    public TokenSubject(String serviceUserId, String orgId, String credentialId, String authVia) {
        this(serviceUserId, orgId, credentialId, authVia, GrantedAccess.NONE);
    }

    public TokenSubject withAccess(GrantedAccess granted) {
        return new TokenSubject(serviceUserId, orgId, credentialId, authVia, granted);
    }
}
