package dev.tokenissuer.testing;

import dev.tokenissuer.store.ClientSecretCredential;
import dev.tokenissuer.store.CredentialStore;
import dev.tokenissuer.store.LegacySecrets;
import dev.tokenissuer.store.PublicKeyCredential;
import dev.tokenissuer.store.SecretHasher;
import dev.tokenissuer.store.ServiceUserState;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An in-memory {@link CredentialStore} that remembers which client ids were looked up and can be made to fail. */
public final class FakeCredentialStore implements CredentialStore {

    private final Map<String, ClientSecretCredential> credentials = new HashMap<>();
    private final Map<String, PublicKeyCredential> keys = new HashMap<>();
    private final List<String> lookups = new ArrayList<>();
    private RuntimeException failure;
    private LegacySecrets legacySecrets = LegacySecrets.NONE;

    /** Stores a credential for {@code secret}, hashed the way {@code tokenctl} stores it. */
    public FakeCredentialStore with(String clientId, String secret, String serviceUserId, String orgId,
                                    ServiceUserState state) {
        credentials.put(clientId,
                new ClientSecretCredential(clientId, serviceUserId, orgId, state, SecretHasher.hash(secret)));
        return this;
    }

    /** Stores a credential exactly as given, hash included. */
    public FakeCredentialStore with(ClientSecretCredential credential) {
        credentials.put(credential.clientId(), credential);
        return this;
    }

    /** Stores a public key credential exactly as given. */
    public FakeCredentialStore with(PublicKeyCredential key) {
        keys.put(key.kid(), key);
        return this;
    }

    /** Forgets the key with this kid, as {@code tokenctl key delete} does. */
    public FakeCredentialStore without(String kid) {
        keys.remove(kid);
        return this;
    }

    /** Stores {@link TestCredentials#CLIENT_ID} and its secret, the credential the sample events use. */
    public FakeCredentialStore withDemoCredential(ServiceUserState state) {
        return with(TestCredentials.CLIENT_ID, TestCredentials.CLIENT_SECRET,
                TestCredentials.SERVICE_USER_ID, TestCredentials.ORG_ID, state);
    }

    /** Every later lookup throws {@code failure}, as a broken DynamoDB client would. */
    public FakeCredentialStore failingWith(RuntimeException failure) {
        this.failure = failure;
        return this;
    }

    /** Imported secrets' checks and upgrades go to {@code secrets}. */
    public FakeCredentialStore withLegacySecrets(LegacySecrets secrets) {
        this.legacySecrets = secrets;
        return this;
    }

    @Override
    public LegacySecrets legacySecrets() {
        return legacySecrets;
    }

    /** The client ids and key ids looked up so far, in order. */
    public List<String> lookups() {
        return List.copyOf(lookups);
    }

    @Override
    public Optional<ClientSecretCredential> findClientSecret(String clientId) {
        lookups.add(clientId);
        if (failure != null) {
            throw failure;
        }
        return Optional.ofNullable(credentials.get(clientId));
    }

    @Override
    public Optional<PublicKeyCredential> findPublicKey(String kid) {
        lookups.add(kid);
        if (failure != null) {
            throw failure;
        }
        return Optional.ofNullable(keys.get(kid));
    }
}
