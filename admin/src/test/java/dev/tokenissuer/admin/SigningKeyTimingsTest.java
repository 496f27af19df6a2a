package dev.tokenissuer.admin;

import dev.tokenissuer.config.IssuerConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class SigningKeyTimingsTest {

    @Test
    @DisplayName("by default a new key is published 17 minutes before it signs: refresh, Frontier's 15-minute cache, max-age")
    void defaultPublishLeadOutlastsFrontiersJwkCache() {
        SigningKeyAdmin.Timings timings = SigningKeyAdmin.Timings.of(IssuerConfig.from(Map.of()));

        assertThat(timings.publishLead()).isEqualTo(Duration.ofSeconds(60 + 900 + 60));
    }

    @Test
    @DisplayName("the publish lead grows with the refresh interval and the JWKS max-age")
    void publishLeadFollowsTheSettings() {
        SigningKeyAdmin.Timings timings = SigningKeyAdmin.Timings.of(IssuerConfig.from(Map.of(
                "SIGNING_KEYS_REFRESH_SECONDS", "600", "JWKS_MAX_AGE_SECONDS", "300")));

        assertThat(timings.publishLead()).isEqualTo(Duration.ofSeconds(600 + 900 + 300));
    }

    @Test
    @DisplayName("--publish-lead replaces the computed lead, 0 included")
    void publishLeadOverride() {
        SigningKeyAdmin.Timings timings = SigningKeyAdmin.Timings.of(IssuerConfig.from(Map.of()));

        assertThat(timings.withPublishLead(Optional.of(Duration.ZERO)).publishLead()).isZero();
        assertThat(timings.withPublishLead(Optional.of(Duration.ofSeconds(5))).publishLead())
                .isEqualTo(Duration.ofSeconds(5));
        assertThat(timings.withPublishLead(Optional.empty()).publishLead()).isEqualTo(timings.publishLead());
    }
}
