package dev.tokenissuer.store;

import java.time.Instant;
import java.util.Optional;

/**
 * A client secret credential as stored, with what a token needs of its service user copied in, so that one read
 * answers a {@code client_credentials} request.
 *
 * @param clientId      the credential's own id, a UUID
 * @param serviceUserId the service user the credential belongs to
 * @param orgId         the service user's organization
 * @param state         the service user's state, kept in step by {@code tokenctl serviceuser disable/enable}
 * @param secretHash    the stored hash of the secret; see {@link SecretHasher}
 * @param allowed       the scopes and audiences the service user's tokens may carry, kept in step as {@code state}
 * @param validUntil    when the credential stops working; empty when it does not expire
 */
public record ClientSecretCredential(String clientId, String serviceUserId, String orgId, ServiceUserState state,
                                     String secretHash, AllowedAccess allowed, Optional<Instant> validUntil) {

    public ClientSecretCredential {
        java.util.Objects.requireNonNull(validUntil, "validUntil");
    }

    /** A credential that does not expire. */
    public ClientSecretCredential(String clientId, String serviceUserId, String orgId, ServiceUserState state,
                                  String secretHash, AllowedAccess allowed) {
        this(clientId, serviceUserId, orgId, state, secretHash, allowed, Optional.empty());
    }

    /** A credential of a service user that may be granted no scopes and name no audiences. */
    public ClientSecretCredential(String clientId, String serviceUserId, String orgId, ServiceUserState state,
                                  String secretHash) {
        this(clientId, serviceUserId, orgId, state, secretHash, AllowedAccess.NONE);
    }

    @Override
    public String toString() {
        return "ClientSecretCredential[clientId=" + clientId + ", serviceUserId=" + serviceUserId + "]";
    }
}
