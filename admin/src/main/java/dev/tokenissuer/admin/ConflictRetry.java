package dev.tokenissuer.admin;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Paces the attempts of one write that lost a race with other writes to the same service user: exponential backoff
 * with full jitter (so racing commands spread out instead of colliding again in step), within {@link #BUDGET}.
 */
final class ConflictRetry {

    /** How long a tokenctl command keeps retrying conflicting writes before it reports the conflict. */
    static final Duration BUDGET = Duration.ofSeconds(10);
    private static final long FIRST_DELAY_MILLIS = 10;
    private static final long MAX_DELAY_MILLIS = 1_000;

    private final long deadline = System.nanoTime() + BUDGET.toNanos();
    private int retries;

    /** Waits before the next attempt; false, without waiting, when that wait would overrun the budget. */
    boolean backOff() {
        long ceiling = Math.min(MAX_DELAY_MILLIS, FIRST_DELAY_MILLIS << Math.min(retries, 20));
        long delay = ThreadLocalRandom.current().nextLong(ceiling + 1);
        if (System.nanoTime() + delay * 1_000_000 > deadline) {
            return false;
        }
        retries++;
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminException("interrupted while retrying a conflicting change");
        }
        return true;
    }

    int retries() {
        return retries;
    }

    static AdminException exhausted(String what) {
        return new AdminException(what + " kept conflicting with other changes for " + BUDGET.toSeconds()
                + " s; try again");
    }
}
