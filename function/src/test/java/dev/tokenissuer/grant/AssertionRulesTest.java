package dev.tokenissuer.grant;

import dev.tokenissuer.config.IssuerConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AssertionRulesTest {

    @Test
    @DisplayName("accepts the issuer as audience, and refuses it as an assertion's iss, by default")
    void defaults() {
        AssertionRules rules = AssertionRules.from(IssuerConfig.from(Map.of()));

        assertThat(rules.acceptedAudiences()).containsExactly("token-issuer");
        assertThat(rules.audienceRequired()).isFalse();
        assertThat(rules.clockSkew()).isEqualTo(Duration.ofSeconds(60));
        assertThat(rules.maxLifetime()).isEqualTo(Duration.ofHours(12));
        assertThat(rules.ownIssuer()).isEqualTo("token-issuer");
    }

    @Test
    @DisplayName("accepts the token endpoint URL derived from PUBLIC_BASE_URL and the extra audiences too")
    void configuredAudiences() {
        AssertionRules rules = AssertionRules.from(IssuerConfig.from(Map.of(
                "TOKEN_ISSUER", "frontier",
                "PUBLIC_BASE_URL", "https://auth.example.com/",
                "ASSERTION_AUDIENCE", "urn:extra,https://other.example",
                "ASSERTION_REQUIRE_AUDIENCE", "true")));

        assertThat(rules.acceptedAudiences()).containsExactlyInAnyOrder("frontier",
                "https://auth.example.com/v1beta1/auth/token", "urn:extra", "https://other.example");
        assertThat(rules.audienceRequired()).isTrue();
        assertThat(rules.ownIssuer()).isEqualTo("frontier");
    }
}
