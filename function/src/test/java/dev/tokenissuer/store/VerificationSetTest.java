package dev.tokenissuer.store;

import dev.tokenissuer.store.VerificationSet.Key;
import dev.tokenissuer.store.VerificationSet.Role;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class VerificationSetTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant T1 = Instant.parse("2026-02-01T00:00:00Z");

    private final Key next = new Key("k-3", "kid-3", "ES256", "ECC_NIST_P256", Role.NEXT, T1, null, null);
    private final Key signing = new Key("k-2", "kid-2", "RS256", "RSA_2048", Role.SIGNING, T0, T0, null);
    private final Key previous = new Key("k-1", "kid-1", "RS256", "RSA_2048", Role.PREVIOUS, T0, T0, T1);

    @Test
    @DisplayName("finds a key by KMS key id, key ARN or kid")
    void find() {
        VerificationSet set = new VerificationSet(List.of(next, signing, previous), 1);

        assertThat(set.find("k-2")).contains(signing);
        assertThat(set.find("kid-1")).contains(previous);
        assertThat(set.find("arn:aws:kms:eu-west-1:123456789012:key/k-3")).contains(next);
        assertThat(set.find("k-")).isEmpty();
        assertThat(set.keyWithRole(Role.SIGNING)).contains(signing);
    }

    @Test
    @DisplayName("a role change records when: signing since, stopped signing at")
    void roleChanges() {
        Key promoted = next.withRole(Role.SIGNING, T1);
        Key demoted = signing.withRole(Role.PREVIOUS, T1);

        assertThat(promoted.signingSince()).isEqualTo(T1);
        assertThat(promoted.stoppedSigningAt()).isNull();
        assertThat(demoted.signingSince()).isEqualTo(T0);
        assertThat(demoted.stoppedSigningAt()).isEqualTo(T1);
    }
}
