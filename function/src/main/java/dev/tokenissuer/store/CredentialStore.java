package dev.tokenissuer.store;

import java.util.Optional;

/**
 * Where the token endpoint looks credentials up. Read-only, but for {@link #legacySecrets()}: the one-time upgrade
 * of a secret imported from Frontier.
 */
public interface CredentialStore {

    /** One read: the credential with this client id, if it exists. */
    Optional<ClientSecretCredential> findClientSecret(String clientId);

    /** One read: the public key with this kid, if it exists. */
    Optional<PublicKeyCredential> findPublicKey(String kid);

    /** Where imported secrets' legacy hashes are budgeted and replaced; {@link LegacySecrets#NONE} when none are. */
    default LegacySecrets legacySecrets() {
        return LegacySecrets.NONE;
    }
}
