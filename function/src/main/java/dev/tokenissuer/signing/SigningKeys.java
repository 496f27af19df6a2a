package dev.tokenissuer.signing;

import com.nimbusds.jose.jwk.JWK;

import java.util.List;

/** The key that signs new tokens, and every public key a resource server should accept. */
public interface SigningKeys {

    /** The key new tokens are signed with. */
    SigningKey signingKey();

    /** The public keys to publish in the JWKS: the signing key first, then keys still trusted for verification. */
    List<JWK> verificationKeys();

    /**
     * Whether a token could be signed now, from what is known in memory: no AWS call beyond the ones loading and
     * refreshing the keys make anyway. By default: whether the signing key can be had.
     */
    default SigningReadiness readiness() {
        try {
            signingKey();
            return SigningReadiness.ready(java.time.Instant.now(), java.util.Optional.empty());
        } catch (RuntimeException e) {
            return SigningReadiness.notReady("the signing key cannot be loaded", java.util.Optional.empty(),
                    java.util.Optional.empty());
        }
    }
}
