package dev.tokenissuer.testing;

import dev.tokenissuer.signing.KeySet;
import dev.tokenissuer.signing.SigningKeysLog;

import java.util.ArrayList;
import java.util.List;

/** A {@link SigningKeysLog} that remembers what it was told, for assertions. */
public final class RecordingSigningKeysLog implements SigningKeysLog {

    private final List<KeySet> changes = new ArrayList<>();
    private final List<Throwable> refreshFailures = new ArrayList<>();
    private final List<String> unavailableKeyIds = new ArrayList<>();

    @Override
    public synchronized void keySetChanged(KeySet previous, KeySet current) {
        changes.add(current);
    }

    @Override
    public synchronized void refreshFailed(Throwable failure) {
        refreshFailures.add(failure);
    }

    @Override
    public synchronized void keyUnavailable(String keyId, Throwable failure) {
        unavailableKeyIds.add(keyId);
    }

    /** Each key set that differed from the one before, in order. */
    public synchronized List<KeySet> changes() {
        return List.copyOf(changes);
    }

    public synchronized List<Throwable> refreshFailures() {
        return List.copyOf(refreshFailures);
    }

    public synchronized List<String> unavailableKeyIds() {
        return List.copyOf(unavailableKeyIds);
    }
}
