package dev.tokenissuer.token;

/**
 * Who a token is issued to, and through which credential.
 *
 * @param serviceUserId the service user (the token's {@code sub})
 * @param orgId         its organization (the token's {@code org_ids})
 * @param credentialId  the client id or key id that authenticated the request (the token's {@code client_id})
 */
public record TokenSubject(String serviceUserId, String orgId, String credentialId) {
}
