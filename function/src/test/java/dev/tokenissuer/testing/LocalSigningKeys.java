package dev.tokenissuer.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.tokenissuer.signing.PublishedKey;
import dev.tokenissuer.signing.SigningKey;
import dev.tokenissuer.signing.SigningKeys;

import java.util.List;

/**
 * {@link SigningKeys} over a key pair generated in this JVM, signing with Nimbus's own signers: stands in for KMS.
 * The key pairs are generated once per test run (RSA generation is slow).
 */
public final class LocalSigningKeys implements SigningKeys {

    private static final class Rsa {
        static final RSAKey KEY = generateRsa();
    }

    private static final class Ec {
        static final ECKey KEY = generateEc();
    }

    private final JWK privateJwk;
    private final SigningKey signingKey;

    private LocalSigningKeys(JWK privateJwk, SigningKey signingKey) {
        this.privateJwk = privateJwk;
        this.signingKey = signingKey;
    }

    /** An RSA 2048 key signing RS256, like the default KMS key spec. */
    public static LocalSigningKeys rsa() {
        try {
            return new LocalSigningKeys(Rsa.KEY, new SigningKey(
                    "local-rsa", JWSAlgorithm.RS256, Rsa.KEY.toPublicJWK(), new RSASSASigner(Rsa.KEY)));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An EC P-256 key signing ES256. */
    public static LocalSigningKeys ec() {
        try {
            return new LocalSigningKeys(Ec.KEY, new SigningKey(
                    "local-ec", JWSAlgorithm.ES256, Ec.KEY.toPublicJWK(), new ECDSASigner(Ec.KEY)));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new EC P-256 signing key each call (fast to generate), named {@code keyId}: for tests that need several. */
    public static PublishedKey newEcKey(String keyId) {
        try {
            ECKey key = generateEc();
            return new PublishedKey(new SigningKey(keyId, JWSAlgorithm.ES256, key.toPublicJWK(), new ECDSASigner(key)),
                    key.toPublicJWK());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public JWK, as the JWKS publishes it. */
    public JWK publicJwk() {
        return privateJwk.toPublicJWK();
    }

    /** The private JWK; for tests that check it never leaks. */
    public JWK privateJwk() {
        return privateJwk;
    }

    @Override
    public SigningKey signingKey() {
        return signingKey;
    }

    @Override
    public List<JWK> verificationKeys() {
        return List.of(publicJwk());
    }

    private static RSAKey generateRsa() {
        try {
            return new RSAKeyGenerator(2048)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256)
                    .keyIDFromThumbprint(true)
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ECKey generateEc() {
        try {
            return new ECKeyGenerator(Curve.P_256)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES256)
                    .keyIDFromThumbprint(true)
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
