package dev.tokenissuer.store;

import java.time.Instant;

/**
 * Remembers which assertions were used, so that each is accepted once (RFC 7523 §3, the {@code jti} rule).
 * The only thing the function writes.
 */
public interface ReplayGuard {

    /**
     * Records the use of the assertion {@code jti} signed by key {@code kid}, atomically: of any number of
     * concurrent calls with the same pair, exactly one returns true.
     *
     * @param rememberUntil when the record may be forgotten: after the assertion itself can no longer be accepted
     * @return true for the first use, false when the pair was recorded before and is still remembered
     */
    boolean firstUse(String kid, String jti, Instant rememberUntil);
}
