package dev.tokenissuer.store;

import com.nimbusds.jose.jwk.JWK;

import java.time.Instant;
import java.util.Optional;

/**
 * A service user's public key as stored, with what a token needs of its service user copied in, so that one read
 * answers a jwt-bearer request.
 *
 * @param kid           the key's own id, a UUID, named by an assertion's {@code kid} header
 * @param serviceUserId the service user the key belongs to: an assertion's {@code sub} must name it
 * @param orgId         the service user's organization
 * @param state         the service user's state, kept in step by {@code tokenctl serviceuser disable/enable}
 * @param publicKey     the public JWK that verifies the assertions
 * @param allowed       the scopes and audiences the service user's tokens may carry, kept in step as {@code state}
 * @param validUntil    when the key stops working; empty when it does not expire
 */
public record PublicKeyCredential(String kid, String serviceUserId, String orgId, ServiceUserState state,
                                  JWK publicKey, AllowedAccess allowed, Optional<Instant> validUntil) {

    public PublicKeyCredential {
        java.util.Objects.requireNonNull(validUntil, "validUntil");
    }

    /** A key that does not expire. */
    public PublicKeyCredential(String kid, String serviceUserId, String orgId, ServiceUserState state, JWK publicKey,
                               AllowedAccess allowed) {
        this(kid, serviceUserId, orgId, state, publicKey, allowed, Optional.empty());
    }

    /** A key of a service user that may be granted no scopes and name no audiences. */
    public PublicKeyCredential(String kid, String serviceUserId, String orgId, ServiceUserState state, JWK publicKey) {
        this(kid, serviceUserId, orgId, state, publicKey, AllowedAccess.NONE);
    }
}
