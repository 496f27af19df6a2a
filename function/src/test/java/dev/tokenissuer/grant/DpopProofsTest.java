package dev.tokenissuer.grant;

import com.nimbusds.jose.jwk.ECKey;
import dev.tokenissuer.testing.DpopProofMaker;
import dev.tokenissuer.testing.InMemoryReplayGuard;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The proof checks that depend on how the request arrived, below the API. */
class DpopProofsTest {

    private static final String ENDPOINT = "https://auth.example.test/v1beta1/auth/token";
    private static final ECKey HOLDER = DpopProofMaker.newKey();

    private final DpopProofs proofs = new DpopProofs(new InMemoryReplayGuard(), Duration.ofSeconds(60),
            Clock.systemUTC());

    private static TokenRequest request(String method, String proof) {
        return new TokenRequest(ClientCredentialsGrant.GRANT_TYPE, Map.of(), false, Optional.of(ENDPOINT),
                Optional.empty(), Optional.of(proof), method, Map.of());
    }

    @Test
    @DisplayName("compares htm with the method as sent: a request made with post does not match htm POST")
    void methodCaseSensitive() {
        String proof = DpopProofMaker.proof(HOLDER, ENDPOINT);

        assertThat(proofs.verify(request("POST", proof))).isPresent();
        assertThatThrownBy(() -> proofs.verify(request("post", proof)))
                .isInstanceOfSatisfying(OAuthException.class, refused -> assertThat(refused.error().description())
                        .isEqualTo("DPoP proof htm does not match this request"));
    }

    @Test
    @DisplayName("typ is a media type: application/dpop+jwt is dpop+jwt, in any case; others are not")
    void proofTypes() {
        assertThat(DpopProofs.isProofType("dpop+jwt")).isTrue();
        assertThat(DpopProofs.isProofType("application/dpop+jwt")).isTrue();
        assertThat(DpopProofs.isProofType("APPLICATION/DPoP+JWT")).isTrue();
        assertThat(DpopProofs.isProofType("application/jwt")).isFalse();
        assertThat(DpopProofs.isProofType("application/application/dpop+jwt")).isFalse();
        assertThat(DpopProofs.isProofType("x/dpop+jwt")).isFalse();
    }
}
