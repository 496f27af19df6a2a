package dev.tokenissuer.signing;

import com.nimbusds.jose.jwk.JWK;

/**
 * A signing key with its public half as the JWKS publishes it (with {@code kid}, {@code alg} and {@code use}).
 *
 * @param signingKey what signs with it
 * @param publicJwk  its public half
 */
public record PublishedKey(SigningKey signingKey, JWK publicJwk) {
}
