package dev.tokenissuer.signing;

import com.nimbusds.jose.jwk.JWK;

import java.util.List;
import java.util.function.Supplier;

/**
 * What the function signs with and publishes, as loaded at one moment. The public keys themselves are read when the
 * JWKS first asks for them, not when the set is loaded: a token needs only the signer.
 *
 * @param signer        the key new tokens are signed with
 * @param publishedKids the kids the JWKS lists: the signer's first, then the verification set's, each once
 * @param publicKeys    reads (once, then remembers) the public keys of those kids, in that order
 */
public record KeySet(SigningKey signer, List<String> publishedKids, Supplier<List<JWK>> publicKeys) {

    public KeySet {
        publishedKids = List.copyOf(publishedKids);
    }

    /** A set whose public keys are already at hand. */
    public KeySet(SigningKey signer, List<JWK> published) {
        this(signer, published.stream().map(JWK::getKeyID).toList(), () -> List.copyOf(published));
    }

    /** The public keys the JWKS lists. */
    public List<JWK> published() {
        return publicKeys.get();
    }
}
