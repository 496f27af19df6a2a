package dev.tokenissuer.config;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IssuerConfigTest {

    @Test
    @DisplayName("an empty environment gives the documented defaults")
    void defaults() {
        IssuerConfig config = IssuerConfig.from(Map.of());

        assertThat(config.tableName()).isEqualTo("token-issuer");
        assertThat(config.signingKeyId()).isEqualTo("alias/token-issuer-signing");
        assertThat(config.issuer()).isEqualTo("token-issuer");
        assertThat(config.tokenTtl()).isEqualTo(Duration.ofSeconds(3600));
        assertThat(config.audience()).isEmpty();
        assertThat(config.jwksMaxAgeSeconds()).isEqualTo(300);
        assertThat(config.awsCallTimeout()).isEqualTo(Duration.ofMillis(3000));
        assertThat(config.awsEndpoint()).isEmpty();
        assertThat(config.assertionAudience()).isEmpty();
        assertThat(config.assertionRequireAudience()).isFalse();
        assertThat(config.assertionClockSkew()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.assertionMaxLifetime()).isEqualTo(Duration.ofHours(12));
        assertThat(config.signingKeysRefresh()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.jwksCacheMaxAgeSeconds()).isEqualTo(60);
    }

    @Test
    @DisplayName("without TOKEN_ISSUER the issuer is PUBLIC_BASE_URL, so discovery clients accept the metadata")
    void issuerDefaultsToThePublicBaseUrl() {
        assertThat(IssuerConfig.from(Map.of("PUBLIC_BASE_URL", "https://auth.example.com/")).issuer())
                .isEqualTo("https://auth.example.com");
        assertThat(IssuerConfig.from(Map.of("PUBLIC_BASE_URL", "https://auth.example.com", "TOKEN_ISSUER",
                "frontier")).issuer()).isEqualTo("frontier");
    }

    @Test
    @DisplayName("the assertion settings are read, the extra audiences split on commas")
    void assertionSettings() {
        IssuerConfig config = IssuerConfig.from(Map.of(
                "ASSERTION_AUDIENCE", " https://a.example, ,urn:b ",
                "ASSERTION_REQUIRE_AUDIENCE", "TRUE",
                "ASSERTION_CLOCK_SKEW_SECONDS", "0",
                "ASSERTION_MAX_LIFETIME_SECONDS", "3600"));

        assertThat(config.assertionAudience()).containsExactly("https://a.example", "urn:b");
        assertThat(config.assertionRequireAudience()).isTrue();
        assertThat(config.assertionClockSkew()).isZero();
        assertThat(config.assertionMaxLifetime()).isEqualTo(Duration.ofHours(1));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "ASSERTION_REQUIRE_AUDIENCE, yes",
            "ASSERTION_REQUIRE_AUDIENCE, 1",
            "ASSERTION_CLOCK_SKEW_SECONDS, -1",
            "ASSERTION_CLOCK_SKEW_SECONDS, 601",
            "ASSERTION_MAX_LIFETIME_SECONDS, 59",
            "ASSERTION_MAX_LIFETIME_SECONDS, 86401",
            "ASSERTION_MAX_LIFETIME_SECONDS, an hour"})
    @DisplayName("a bad assertion setting is refused with a message naming the variable")
    void badAssertionSettings(String variable, String value) {
        assertThatThrownBy(() -> IssuerConfig.from(Map.of(variable, value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(variable);
    }

    @ParameterizedTest(name = "JWKS_MAX_AGE_SECONDS={0}, SIGNING_KEYS_REFRESH_SECONDS={1} -> max-age {2}")
    @CsvSource({"300, 60, 60", "30, 60, 30", "0, 60, 0", "300, 1, 1", "86400, 3600, 3600"})
    @DisplayName("the JWKS max-age is the configured one, but never longer than the signing-key refresh interval")
    void jwksMaxAgeFitsTheRefreshInterval(String maxAge, String refresh, int expected) {
        IssuerConfig config = IssuerConfig.from(Map.of(
                "JWKS_MAX_AGE_SECONDS", maxAge, "SIGNING_KEYS_REFRESH_SECONDS", refresh));

        assertThat(config.jwksCacheMaxAgeSeconds()).isEqualTo(expected);
    }

    @Test
    @DisplayName("blank values count as unset")
    void blankIsDefault() {
        IssuerConfig config = IssuerConfig.from(Map.of("TABLE_NAME", "  ", "TOKEN_TTL_SECONDS", "", "TOKEN_AUDIENCE", " "));

        assertThat(config.tableName()).isEqualTo("token-issuer");
        assertThat(config.tokenTtl()).isEqualTo(Duration.ofSeconds(3600));
        assertThat(config.audience()).isEmpty();
    }

    @Test
    @DisplayName("every variable is read, trimmed, and the audience split on commas")
    void values() {
        IssuerConfig config = IssuerConfig.from(Map.of(
                "TABLE_NAME", " tokens ",
                "SIGNING_KEY_ID", "arn:aws:kms:eu-west-1:123456789012:key/abc",
                "TOKEN_ISSUER", "https://auth.example",
                "TOKEN_TTL_SECONDS", " 900 ",
                "TOKEN_AUDIENCE", "api-a, api-b,,",
                "JWKS_MAX_AGE_SECONDS", "0",
                "AWS_CALL_TIMEOUT_MILLIS", "1500",
                "AWS_ENDPOINT_URL", " http://127.0.0.1:4566 ",
                "SIGNING_KEYS_REFRESH_SECONDS", "5"));

        assertThat(config.tableName()).isEqualTo("tokens");
        assertThat(config.signingKeyId()).isEqualTo("arn:aws:kms:eu-west-1:123456789012:key/abc");
        assertThat(config.issuer()).isEqualTo("https://auth.example");
        assertThat(config.tokenTtl()).isEqualTo(Duration.ofSeconds(900));
        assertThat(config.audience()).containsExactly("api-a", "api-b");
        assertThat(config.jwksMaxAgeSeconds()).isZero();
        assertThat(config.awsCallTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(config.awsEndpoint()).contains(URI.create("http://127.0.0.1:4566"));
        assertThat(config.signingKeysRefresh()).isEqualTo(Duration.ofSeconds(5));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "TOKEN_TTL_SECONDS, an hour",
            "TOKEN_TTL_SECONDS, 3600s",
            "TOKEN_TTL_SECONDS, 1.5",
            "TOKEN_TTL_SECONDS, 59",
            "TOKEN_TTL_SECONDS, 86401",
            "TOKEN_TTL_SECONDS, -1",
            "TOKEN_TTL_SECONDS, 99999999999999999999",
            "JWKS_MAX_AGE_SECONDS, -5",
            "JWKS_MAX_AGE_SECONDS, five",
            "AWS_CALL_TIMEOUT_MILLIS, 99",
            "AWS_CALL_TIMEOUT_MILLIS, 60001",
            "AWS_CALL_TIMEOUT_MILLIS, 3e3",
            "SIGNING_KEYS_REFRESH_SECONDS, 0",
            "SIGNING_KEYS_REFRESH_SECONDS, 3601",
            "SIGNING_KEYS_REFRESH_SECONDS, 1m"})
    @DisplayName("a bad number is refused with a message naming the variable")
    void badNumbers(String variable, String value) {
        assertThatThrownBy(() -> IssuerConfig.from(Map.of(variable, value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(variable);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"127.0.0.1:4566", "localhost", "http://", "not a url", "/relative/path", "ftp://host"})
    @DisplayName("an AWS_ENDPOINT_URL that is not an absolute URL is refused with a message naming the variable")
    void badEndpoint(String value) {
        assertThatThrownBy(() -> IssuerConfig.from(Map.of("AWS_ENDPOINT_URL", value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("AWS_ENDPOINT_URL");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TOKEN_ISSUER", "TOKEN_AUDIENCE"})
    @DisplayName("an issuer or audience longer than 1024 characters stops the start with a message saying so")
    void overLongIssuerOrAudience(String variable) {
        String atBound = "https://" + "a".repeat(1024 - "https://".length());
        assertThat(IssuerConfig.from(Map.of(variable, atBound))).isNotNull();

        assertThatThrownBy(() -> IssuerConfig.from(Map.of(variable, atBound + "x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(variable + " is 1025 characters long; at most 1024 are allowed, because it goes into"
                        + " every token");
    }

    @Test
    @DisplayName("the audience bound counts every value together, so many short audiences cannot grow a token")
    void audienceBoundCoversTheList() {
        String many = String.join(",", Collections.nCopies(300, "aud-1"));

        assertThatThrownBy(() -> IssuerConfig.from(Map.of("TOKEN_AUDIENCE", many)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("TOKEN_AUDIENCE is 1799 characters long");
    }

    @Test
    @DisplayName("with neither TOKEN_ISSUER nor PUBLIC_BASE_URL, each request's base URL is the issuer")
    void issuerFromRequestOnlyWhenNothingIsSet() {
        assertThat(IssuerConfig.from(Map.of()).issuerFromRequest()).isTrue();
        assertThat(IssuerConfig.from(Map.of("TOKEN_ISSUER", "")).issuerFromRequest()).isTrue();
        assertThat(IssuerConfig.from(Map.of("TOKEN_ISSUER", "frontier")).issuerFromRequest()).isFalse();
        assertThat(IssuerConfig.from(Map.of("PUBLIC_BASE_URL", "https://auth.example.com")).issuerFromRequest())
                .isFalse();
    }

    @Test
    @DisplayName("TOKEN_MAX_TTL_SECONDS defaults to TOKEN_TTL_SECONDS and may not be shorter than it")
    void tokenMaxTtl() {
        assertThat(IssuerConfig.from(Map.of()).tokenMaxTtl()).isEqualTo(Duration.ofSeconds(3600));
        assertThat(IssuerConfig.from(Map.of("TOKEN_TTL_SECONDS", "900")).tokenMaxTtl())
                .isEqualTo(Duration.ofSeconds(900));
        assertThat(IssuerConfig.from(Map.of("TOKEN_MAX_TTL_SECONDS", "43200")).tokenMaxTtl())
                .isEqualTo(Duration.ofHours(12));
        assertThatThrownBy(() -> IssuerConfig.from(Map.of("TOKEN_TTL_SECONDS", "3600", "TOKEN_MAX_TTL_SECONDS",
                "600"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TOKEN_MAX_TTL_SECONDS (600) must be at least TOKEN_TTL_SECONDS (3600)");
    }
}
