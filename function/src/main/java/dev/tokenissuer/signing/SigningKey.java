package dev.tokenissuer.signing;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jwk.JWK;

/**
 * The key tokens are signed with: where it lives, the JWS algorithm it signs with, its {@code kid} (the RFC 7638
 * thumbprint of its public half, which the JWKS publishes), and the signer that reaches the private half. Signing
 * needs nothing more: the public key itself is read only when the JWKS is asked for.
 *
 * @param keyId     where the private key lives (the KMS key ARN or id), for logs and operators
 * @param algorithm the JWS {@code alg}, which follows from the key's type and size
 * @param kid       the public key's thumbprint, the tokens' {@code kid}
 * @param signer    signs JWS signing input with the private key
 */
public record SigningKey(String keyId, JWSAlgorithm algorithm, String kid, JWSSigner signer) {

    /** The signing key whose public half is {@code publicJwk} (its {@code kid} is the JWK's). */
    public SigningKey(String keyId, JWSAlgorithm algorithm, JWK publicJwk, JWSSigner signer) {
        this(keyId, algorithm, publicJwk.getKeyID(), signer);
    }
}
