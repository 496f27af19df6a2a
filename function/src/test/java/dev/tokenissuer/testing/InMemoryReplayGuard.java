package dev.tokenissuer.testing;

import dev.tokenissuer.store.ReplayGuard;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link ReplayGuard} in memory, atomic like the DynamoDB one and with its nonce rules (a record holding the
 * caller's nonce is the caller's own; only its own record is released); remembers every call for inspection.
 */
public final class InMemoryReplayGuard implements ReplayGuard {

    /** One recorded use. */
    public record Use(String kid, String jti, String nonce, Instant rememberUntil) {
    }

    private final Map<String, Use> used = new ConcurrentHashMap<>();
    private final List<Use> attempts = new CopyOnWriteArrayList<>();
    private final List<Use> releases = new CopyOnWriteArrayList<>();

    @Override
    public boolean firstUse(String kid, String jti, String nonce, Instant rememberUntil) {
        Use use = new Use(kid, jti, nonce, rememberUntil);
        attempts.add(use);
        Use existing = used.putIfAbsent(kid + "#" + jti, use);
        return existing == null || existing.nonce().equals(nonce);
    }

    @Override
    public boolean release(String kid, String jti, String nonce) {
        boolean[] released = {false};
        used.computeIfPresent(kid + "#" + jti, (key, existing) -> {
            if (!existing.nonce().equals(nonce)) {
                return existing;
            }
            released[0] = true;
            releases.add(existing);
            return null;
        });
        return released[0];
    }

    /** Every call so far, in order, including those that found a replay. */
    public List<Use> attempts() {
        return List.copyOf(attempts);
    }

    /** Every use released so far, in order. */
    public List<Use> releases() {
        return List.copyOf(releases);
    }

    /** Whether the pair is recorded now. */
    public boolean isRecorded(String kid, String jti) {
        return used.containsKey(kid + "#" + jti);
    }
}
