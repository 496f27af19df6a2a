package dev.tokenissuer.api;

import dev.tokenissuer.config.IssuerConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static dev.tokenissuer.testing.ApiErrors.errorOf;
import static org.assertj.core.api.Assertions.assertThat;

/** Which issuer a request's token and metadata name. */
class IssuerNameTest {

    @Test
    @DisplayName("TOKEN_ISSUER names the issuer whatever the request reached")
    void configuredIssuer() {
        IssuerName issuer = IssuerName.from(IssuerConfig.from(Map.of("TOKEN_ISSUER", "frontier")));

        assertThat(issuer.of(Optional.of("https://abc.example"))).isEqualTo("frontier");
        assertThat(issuer.of(Optional.empty())).isEqualTo("frontier");
    }

    @Test
    @DisplayName("PUBLIC_BASE_URL names the issuer whatever the request reached")
    void publicBaseUrl() {
        IssuerName issuer = IssuerName.from(IssuerConfig.from(Map.of("PUBLIC_BASE_URL", "https://auth.example.com")));

        assertThat(issuer.of(Optional.empty())).isEqualTo("https://auth.example.com");
    }

    @Test
    @DisplayName("with neither set, the issuer is the base URL the request reached")
    void derivedIssuer() {
        assertThat(IssuerName.from(IssuerConfig.from(Map.of())).of(Optional.of("https://abc.example")))
                .isEqualTo("https://abc.example");
    }

    @Test
    @DisplayName("with neither set, a request without a usable Host is refused with 400: never the fallback "
            + "'token-issuer', which no metadata names")
    void derivedIssuerWithoutAHost() {
        ApiError error = errorOf(() -> IssuerName.from(IssuerConfig.from(Map.of())).of(Optional.empty()));

        assertThat(error.httpStatus()).isEqualTo(400);
        assertThat(error.error()).isEqualTo("invalid_request");
    }
}
