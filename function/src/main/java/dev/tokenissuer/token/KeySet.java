package dev.tokenissuer.token;

import com.nimbusds.jose.jwk.JWK;

import java.util.List;

/**
 * What the function signs with and publishes, as loaded at one moment.
 *
 * @param signer    the key new tokens are signed with
 * @param published the public keys the JWKS lists: the signer's first, then the verification set's, each once
 */
public record KeySet(SigningKey signer, List<JWK> published) {

    public KeySet {
        published = List.copyOf(published);
    }

    public List<String> publishedKids() {
        return published.stream().map(JWK::getKeyID).toList();
    }
}
