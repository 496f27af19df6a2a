package dev.tokenissuer.admin;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.Base64URL;
import dev.tokenissuer.signing.KmsPublicKeys;
import dev.tokenissuer.signing.PublishedKey;
import dev.tokenissuer.signing.SigningKey;
import dev.tokenissuer.signing.SigningKeySpec;
import software.amazon.awssdk.services.kms.KmsClient;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * Signs one test value through the configured KMS exactly as a token is signed (the function's own signer: KMS
 * {@code Sign} of the digest, {@code MessageType DIGEST}), and verifies it with the key's public half from
 * {@code GetPublicKey}. An endpoint whose signatures do not verify would issue tokens nobody can verify, so
 * {@code bootstrap} and {@code serve} refuse to go on and say why. Plain {@code moto_server} is the known case: it
 * hashes a {@code DIGEST} message again as if it were {@code RAW}; the project's emulator (scripts/aws_emulator.py)
 * and LocalStack sign it as KMS does.
 */
final class KmsSignatureCheck {

    private static final byte[] TEST_VALUE = "token-issuer: does this KMS sign a digest as it is?"
            .getBytes(StandardCharsets.US_ASCII);

    private KmsSignatureCheck() {
    }

    /** Passes quietly when the key's signatures verify; otherwise an {@link AdminException} naming the cause. */
    static void verify(KmsClient kms, String keyIdOrAlias, Optional<URI> endpoint) {
        PublishedKey key = KmsPublicKeys.load(kms, keyIdOrAlias);
        SigningKey signing = key.signingKey();
        JWSHeader header = new JWSHeader.Builder(signing.algorithm()).keyID(signing.kid()).build();
        String where = endpoint.map(uri -> "The KMS at " + uri).orElse("KMS");
        try {
            Base64URL signature = signing.signer().sign(header, TEST_VALUE);
            JWSVerifier verifier = verifier(key.publicJwk());
            if (verifier.verify(header, TEST_VALUE, signature)) {
                return;
            }
            String cause = verifier.verify(header, digest(signing), signature)
                    ? "it hashed the DIGEST message again, as if it were RAW (plain moto_server does)"
                    : "it is not a signature of the digest it was given by that key";
            throw new AdminException(where + " signed a test value with " + signing.keyId() + " (" + signing.algorithm()
                    + "), but the signature does not verify with the key's public key: " + cause + ". Tokens it "
                    + "signs would not verify either. Use the project's emulator (scripts/aws_emulator.py, which make "
                    + "run starts) or LocalStack; see docs/development.md#running-against-localstack-or-a-real-account");
        } catch (JOSEException e) {
            throw new AdminException(where + " could not sign a test value with " + signing.keyId() + ": "
                    + e.getMessage(), e);
        }
    }

    private static JWSVerifier verifier(JWK publicJwk) throws JOSEException {
        return publicJwk.getKeyType().getValue().equals("EC")
                ? new ECDSAVerifier(publicJwk.toECKey())
                : new RSASSAVerifier(publicJwk.toRSAKey());
    }

    /** The digest KMS was sent, which plain moto_server signs as though it were the message. */
    private static byte[] digest(SigningKey signing) {
        SigningKeySpec spec = SigningKeySpec.signing(signing.algorithm()).orElseThrow();
        try {
            return MessageDigest.getInstance(spec.digestAlgorithm()).digest(TEST_VALUE);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-256 and SHA-384", e);
        }
    }
}
