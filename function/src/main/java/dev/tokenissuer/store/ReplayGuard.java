package dev.tokenissuer.store;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;

/**
 * Remembers which assertions were used, so that each is accepted once (RFC 7523 §3, the {@code jti} rule).
 * The only thing the function writes.
 *
 * <p>Each request names its use with a random nonce that goes into the record. Retries of the same write (the SDK's,
 * after a response that came too late or a dropped connection) find the record their own first attempt wrote, and
 * that still counts as the first use; and a request whose token could not be made after all can {@link #release}
 * its record, leaving the assertion usable for the client's retry.
 */
public interface ReplayGuard {

    /**
     * Records the use of the assertion {@code jti} signed by key {@code kid}, atomically: of any number of
     * concurrent calls with the same pair (and different nonces), exactly one returns true.
     *
     * @param nonce         this request's {@link #newNonce()}; a record already holding it is this request's own
     * @param rememberUntil when the record may be forgotten: after the assertion itself can no longer be accepted
     * @return true for the first use, false when another use recorded the pair before and is still remembered
     */
    boolean firstUse(String kid, String jti, String nonce, Instant rememberUntil);

    /** {@link #firstUse(String, String, String, Instant)} with a fresh nonce, for callers that never release. */
    default boolean firstUse(String kid, String jti, Instant rememberUntil) {
        return firstUse(kid, jti, newNonce(), rememberUntil);
    }

    /**
     * Forgets the use of {@code jti} by {@code kid} if, and only if, the record is the one {@code nonce} wrote: a
     * request that recorded the use but issued no token gives the assertion back. Never removes another request's
     * record.
     *
     * @return true when the record was ours and is gone
     */
    boolean release(String kid, String jti, String nonce);

    /** A random nonce naming one request's use: 128 bits, URL-safe. */
    static String newNonce() {
        byte[] bytes = new byte[16];
        Nonces.RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Holder, so the interface does not seed a SecureRandom until a nonce is needed. */
    final class Nonces {
        private static final SecureRandom RANDOM = new SecureRandom();

        private Nonces() {
        }
    }
}
