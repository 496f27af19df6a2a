package dev.tokenissuer.token;

import com.nimbusds.jose.jwk.JWK;

import java.util.List;

/** The key that signs new tokens, and every public key a resource server should accept. */
public interface SigningKeys {

    /** The key new tokens are signed with. */
    SigningKey signingKey();

    /** The public keys to publish in the JWKS: the signing key first, then keys still trusted for verification. */
    List<JWK> verificationKeys();
}
