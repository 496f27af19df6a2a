package dev.tokenissuer.store;

import dev.tokenissuer.testing.FrontierHashes;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LegacySecretHashTest {

    /** Made by Go's golang.org/x/crypto/bcrypt at cost 14, as Frontier stores a secret (FrontierHashes). */
    private static final FrontierHashes.Pair GO_COST_14 = FrontierHashes.withPlus();

    @Test
    @DisplayName("checks a secret against the hash Go's bcrypt wrote for Frontier, cost 14, $2a$")
    void verifiesGoBcrypt() {
        assertThat(LegacySecretHash.isLegacy(GO_COST_14.hash())).isTrue();
        assertThat(LegacySecretHash.matches(GO_COST_14.secret(), GO_COST_14.hash())).isTrue();
        assertThat(LegacySecretHash.matches(GO_COST_14.secret().replace('+', ' '), GO_COST_14.hash())).isFalse();
    }

    @Test
    @DisplayName("takes $2a$, $2b$ and $2y$ of a cost Frontier could write, and nothing else")
    void recognizesBcrypt() {
        String body = "$14$" + "C2SZ7gvvD.jXb5DKbu0UmuW.IkM.Nx6LrQXNstbtIJO32RTggUrHC";
        assertThat(LegacySecretHash.isLegacy("$2a" + body)).isTrue();
        assertThat(LegacySecretHash.isLegacy("$2b" + body)).isTrue();
        assertThat(LegacySecretHash.isLegacy("$2y" + body)).isTrue();
        assertThat(LegacySecretHash.isLegacy("$2a$31$" + body.substring(4))).as("hours per check").isFalse();
        assertThat(LegacySecretHash.isLegacy("$2a$03$" + body.substring(4))).isFalse();
        assertThat(LegacySecretHash.isLegacy("$2a" + body + "x")).isFalse();
        assertThat(LegacySecretHash.isLegacy(SecretHasher.hash("s"))).isFalse();
        assertThat(LegacySecretHash.isLegacy(null)).isFalse();
    }

    @Test
    @DisplayName("a secret longer than bcrypt reads (72 bytes) matches nothing, and costs no check")
    void longSecret() {
        String hash = FrontierHashes.cost4("x".repeat(72));
        assertThat(LegacySecretHash.matches("x".repeat(72), hash)).isTrue();
        assertThat(LegacySecretHash.matches("x".repeat(73), hash)).isFalse();
    }
}
