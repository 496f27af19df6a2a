package dev.tokenissuer.grant;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;

import java.util.Optional;
import java.util.Set;

/**
 * Which keys may sign assertions, and with which algorithms: RS256 or PS256 with an RSA key of at least 2048 bits,
 * ES256 with a P-256 key. {@code tokenctl} registers only such keys; the grant checks again at every use.
 */
public final class AssertionKeys {

    /** Every algorithm an assertion may name. Never {@code none}, never HMAC: the server holds no shared secret. */
    public static final Set<String> ALGORITHMS = Set.of(
            JWSAlgorithm.RS256.getName(), JWSAlgorithm.PS256.getName(), JWSAlgorithm.ES256.getName());

    public static final int MIN_RSA_BITS = 2048;

    private AssertionKeys() {
    }

    /** The algorithms {@code key} may sign with; empty when the key is not fit to sign assertions at all. */
    public static Set<JWSAlgorithm> algorithmsFor(JWK key) {
        if (key instanceof RSAKey rsa && rsa.size() >= MIN_RSA_BITS) {
            return Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256);
        }
        if (key instanceof ECKey ec && Curve.P_256.equals(ec.getCurve())) {
            return Set.of(JWSAlgorithm.ES256);
        }
        return Set.of();
    }

    /** A verifier over the public half of {@code key}, if the key is fit to sign assertions. */
    static Optional<JWSVerifier> verifierFor(JWK key) {
        try {
            if (algorithmsFor(key).isEmpty()) {
                return Optional.empty();
            }
            if (key instanceof RSAKey rsa) {
                return Optional.of(new RSASSAVerifier(rsa.toRSAPublicKey()));
            }
            return Optional.of(new ECDSAVerifier(((ECKey) key).toECPublicKey()));
        } catch (JOSEException e) {
            return Optional.empty();
        }
    }
}
