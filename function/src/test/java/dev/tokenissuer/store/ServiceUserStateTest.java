package dev.tokenissuer.store;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceUserStateTest {

    @Test
    @DisplayName("stores states by their lower-case names, as Frontier does")
    void storedNames() {
        assertThat(ServiceUserState.ENABLED.storedName()).isEqualTo("enabled");
        assertThat(ServiceUserState.DISABLED.storedName()).isEqualTo("disabled");
        assertThat(ServiceUserState.fromStored("enabled")).isEqualTo(ServiceUserState.ENABLED);
        assertThat(ServiceUserState.fromStored("disabled")).isEqualTo(ServiceUserState.DISABLED);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @NullAndEmptySource
    @ValueSource(strings = {"ENABLED", "Enabled", " enabled", "active", "true"})
    @DisplayName("treats anything but exactly \"enabled\" as disabled, so a damaged item grants nothing")
    void damagedStateIsDisabled(String stored) {
        assertThat(ServiceUserState.fromStored(stored)).isEqualTo(ServiceUserState.DISABLED);
    }
}
