package dev.tokenissuer.admin;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FieldLimitsTest {

    @Test
    @DisplayName("an org id or title of up to 256 characters is accepted, counting a non-BMP character as one")
    void acceptsUpToTheBound() {
        assertThat(FieldLimits.orgId("o".repeat(256))).hasSize(256);
        assertThat(FieldLimits.title("\uD83D\uDE00".repeat(256))).hasSize(512);
    }

    @Test
    @DisplayName("one character more is refused with a message naming the field, its length and the bound")
    void refusesOverTheBound() {
        assertThatThrownBy(() -> FieldLimits.orgId("o".repeat(257)))
                .isInstanceOf(AdminException.class)
                .hasMessage("the org id is 257 characters long; at most 256 are allowed");
        assertThatThrownBy(() -> FieldLimits.title("t".repeat(5000)))
                .isInstanceOf(AdminException.class)
                .hasMessage("the title is 5000 characters long; at most 256 are allowed");
    }
}
