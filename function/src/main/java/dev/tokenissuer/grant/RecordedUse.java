package dev.tokenissuer.grant;

import dev.tokenissuer.store.ReplayGuard;

import java.util.function.Supplier;

/**
 * A single use a request recorded before its token exists (an assertion's or a proof's {@code jti}), which it gives
 * back when the token is not made after all: a client's retry of a request we failed, or refused later for another
 * reason, is not refused for having been tried.
 */
record RecordedUse(ReplayGuard guard, String kid, String jti, String nonce) {

    /** Runs {@code then}; when it fails, releases this use and rethrows. */
    <T> T releasedUnless(Supplier<T> then) {
        try {
            return then.get();
        } catch (RuntimeException | Error e) {
            try {
                guard.release(kid, jti, nonce);
            } catch (RuntimeException releaseFailure) {
                // The record stays: the use is spent. The first failure is the answer.
                e.addSuppressed(releaseFailure);
            }
            throw e;
        }
    }
}
