package dev.tokenissuer.store;

import dev.tokenissuer.store.VerificationSet.Key;
import dev.tokenissuer.store.VerificationSet.Role;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class VerificationSetTest {

    private static final Instant T0 = SampleKeys.T0;
    private static final Instant T1 = SampleKeys.T1;

    private final Key next = SampleKeys.NEXT;
    private final Key signing = SampleKeys.SIGNING;
    private final Key previous = SampleKeys.PREVIOUS;

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
