package dev.tokenissuer.grant;

import dev.tokenissuer.store.ReplayGuard;

/**
 * A single use a request recorded before its token exists (an assertion's or a proof's {@code jti}), which is given
 * back when the token is not made after all: a client's retry of a request we failed, or refused later for another
 * reason, is not refused for having been tried.
 */
public record RecordedUse(ReplayGuard guard, String kid, String jti, String nonce) {

    /** Gives this use back. A failure to do so leaves it spent and is added to {@code cause}, which stays the answer. */
    void releaseAfter(Throwable cause) {
        try {
            guard.release(kid, jti, nonce);
        } catch (RuntimeException releaseFailure) {
            cause.addSuppressed(releaseFailure);
        }
    }

    @Override
    public String toString() {
        return "RecordedUse[kid=" + kid + "]";
    }
}
