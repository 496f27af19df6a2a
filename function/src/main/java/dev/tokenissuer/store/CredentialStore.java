package dev.tokenissuer.store;

import java.util.Optional;

/** Where the token endpoint looks credentials up. Read-only: the function never writes credentials. */
public interface CredentialStore {

    /** One read: the credential with this client id, if it exists. */
    Optional<ClientSecretCredential> findClientSecret(String clientId);

    /** One read: the public key with this kid, if it exists. */
    Optional<PublicKeyCredential> findPublicKey(String kid);
}
