package dev.tokenissuer.signing;

import java.time.Instant;
import java.util.Optional;

/**
 * Whether the function can sign a token now, as far as it knows without asking AWS: its keys are loaded, the table
 * answered the last key refresh within the allowed staleness, and KMS's last answer was a signature. What a health
 * check reports (GET /health, which Route 53 calls every 30 s per checker).
 *
 * @param ready          whether a token request would be expected to succeed
 * @param problem        why not, in words an operator can act on; empty when ready
 * @param keysLoadedAt   when the table last answered a key refresh; empty before the first load
 * @param kmsAnsweredAt  when KMS last signed (a token or the refresh's probe); empty before the first signature
 */
public record SigningReadiness(boolean ready, Optional<String> problem, Optional<Instant> keysLoadedAt,
                               Optional<Instant> kmsAnsweredAt) {

    public static SigningReadiness ready(Instant keysLoadedAt, Optional<Instant> kmsAnsweredAt) {
        return new SigningReadiness(true, Optional.empty(), Optional.of(keysLoadedAt), kmsAnsweredAt);
    }

    public static SigningReadiness notReady(String problem, Optional<Instant> keysLoadedAt,
                                            Optional<Instant> kmsAnsweredAt) {
        return new SigningReadiness(false, Optional.of(problem), keysLoadedAt, kmsAnsweredAt);
    }
}
