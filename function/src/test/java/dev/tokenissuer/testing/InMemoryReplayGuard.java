package dev.tokenissuer.testing;

import dev.tokenissuer.store.ReplayGuard;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link ReplayGuard} in memory, atomic like the DynamoDB one; remembers every recorded use for inspection. */
public final class InMemoryReplayGuard implements ReplayGuard {

    /** One recorded use. */
    public record Use(String kid, String jti, Instant rememberUntil) {
    }

    private final Map<String, Use> used = new ConcurrentHashMap<>();
    private final List<Use> attempts = new CopyOnWriteArrayList<>();

    @Override
    public boolean firstUse(String kid, String jti, Instant rememberUntil) {
        Use use = new Use(kid, jti, rememberUntil);
        attempts.add(use);
        return used.putIfAbsent(kid + "#" + jti, use) == null;
    }

    /** Every call so far, in order, including those that found a replay. */
    public List<Use> attempts() {
        return List.copyOf(attempts);
    }
}
