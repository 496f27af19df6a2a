package dev.tokenissuer.testing;

import dev.tokenissuer.store.ClientSecretCredential;
import dev.tokenissuer.store.LegacySecrets;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link LegacySecrets} in memory over a {@link FakeCredentialStore}: a fixed number of checks per client id (no
 * windows; DynamoLegacySecretsIT tests those), and replacements written into the store, or lost when told to.
 */
public final class FakeLegacySecrets implements LegacySecrets {

    private final FakeCredentialStore store;
    private final int budget;
    private final Map<String, Integer> checks = new ConcurrentHashMap<>();
    private final List<String> replaced = new ArrayList<>();
    private boolean loseReplacements;

    public FakeLegacySecrets(FakeCredentialStore store, int budget) {
        this.store = store;
        this.budget = budget;
    }

    /** Every replacement finds the hash already replaced, as when a concurrent request upgraded it first. */
    public FakeLegacySecrets losingReplacements() {
        this.loseReplacements = true;
        return this;
    }

    public int checksTaken(String clientId) {
        return checks.getOrDefault(clientId, 0);
    }

    /** The client ids whose hash was replaced, in order. */
    public List<String> replaced() {
        return List.copyOf(replaced);
    }

    @Override
    public boolean takeCheck(String clientId) {
        return checks.merge(clientId, 1, Integer::sum) <= budget;
    }

    @Override
    public boolean replace(String clientId, String legacyHash, String nativeHash) {
        ClientSecretCredential stored = store.findClientSecret(clientId).orElse(null);
        if (loseReplacements || stored == null || !stored.secretHash().equals(legacyHash)) {
            return false;
        }
        store.with(new ClientSecretCredential(clientId, stored.serviceUserId(), stored.orgId(), stored.state(),
                nativeHash, stored.allowed()));
        replaced.add(clientId);
        return true;
    }
}
