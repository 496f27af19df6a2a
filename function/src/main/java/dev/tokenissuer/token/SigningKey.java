package dev.tokenissuer.token;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jwk.JWK;

/**
 * The key tokens are signed with: its public JWK (published in the JWKS; its {@code kid} is the RFC 7638
 * thumbprint), the JWS algorithm it signs with, and the signer that holds or reaches the private half.
 *
 * @param keyId     where the private key lives (the KMS key ARN), for logs and operators
 * @param algorithm the JWS {@code alg}, which follows from the key's type and size
 * @param publicJwk the public key, with {@code kid}, {@code alg} and {@code use}
 * @param signer    signs JWS signing input with the private key
 */
public record SigningKey(String keyId, JWSAlgorithm algorithm, JWK publicJwk, JWSSigner signer) {

    public String kid() {
        return publicJwk.getKeyID();
    }
}
