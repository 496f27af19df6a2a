package dev.tokenissuer.store;

import dev.tokenissuer.store.VerificationSet.Key;
import dev.tokenissuer.store.VerificationSet.Role;

import java.time.Instant;

/** Three keys of a verification set in each role, as a rotation leaves them: for the set's tests and its codec's. */
final class SampleKeys {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Instant T1 = Instant.parse("2026-02-01T00:00:00Z");

    static final Key NEXT = new Key("k-3", "kid-3", "ES256", "ECC_NIST_P256", Role.NEXT, T1, null, null);
    static final Key SIGNING = new Key("k-2", "kid-2", "RS256", "RSA_2048", Role.SIGNING, T0, T0, null);
    static final Key PREVIOUS = new Key("k-1", "kid-1", "RS256", "RSA_2048", Role.PREVIOUS, T0, T0, T1);

    private SampleKeys() {
    }
}
