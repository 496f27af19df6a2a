package dev.tokenissuer.token;

/**
 * Who a token is issued to, and through which credential.
 *
 * @param serviceUserId the service user (the token's {@code sub})
 * @param orgId         its organization (the token's {@code org_ids})
 * @param credentialId  the client id or key id that authenticated the request (the token's {@code client_id})
 * @param authVia       the kind of credential that authenticated, in Frontier's words (the token's
 *                      {@code auth_via}): {@value #VIA_CLIENT_SECRET} or {@value #VIA_ASSERTION}
 */
public record TokenSubject(String serviceUserId, String orgId, String credentialId, String authVia) {

    /** A client secret authenticated the request. */
    public static final String VIA_CLIENT_SECRET = "client_credentials";
    /** A signed assertion (jwt-bearer) authenticated the request. */
    public static final String VIA_ASSERTION = "jwt_grant";
}
