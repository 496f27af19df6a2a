package dev.tokenissuer.signing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.impl.ECDSA;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.SignRequest;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;

/**
 * A Nimbus {@link JWSSigner} whose private key stays in AWS KMS: the JWS signing input is hashed here and its digest
 * goes to KMS {@code Sign} as a {@code DIGEST} message; the signature comes back. The function never holds private
 * key material.
 *
 * <p>Why not {@code RAW}: KMS refuses a raw message over 4096 bytes, and a token's signing input grows with its
 * claims (org ids, issuer, audiences, scopes). Signing the digest is the same signature (KMS's algorithm begins by
 * hashing the message with the same hash), for a token of any size.
 */
public final class KmsJwsSigner implements JWSSigner {

    private final KmsClient kms;
    private final String keyId;
    private final JWSAlgorithm algorithm;
    private final JCAContext jcaContext = new JCAContext();

    /**
     * @param keyId     the KMS key's id or ARN (not an alias: the alias may move to another key while this signer
     *                  still advertises the old key's {@code kid})
     * @param algorithm the JWS algorithm the key signs with
     */
    public KmsJwsSigner(KmsClient kms, String keyId, JWSAlgorithm algorithm) {
        if (SigningKeySpec.signing(algorithm).isEmpty()) {
            throw new IllegalArgumentException("unsupported JWS algorithm: " + algorithm);
        }
        this.kms = kms;
        this.keyId = keyId;
        this.algorithm = algorithm;
    }

    @Override
    public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
        if (!algorithm.equals(header.getAlgorithm())) {
            throw new JOSEException("this key signs " + algorithm + ", not " + header.getAlgorithm());
        }
        byte[] signature = kms.sign(signRequest(keyId, algorithm, signingInput)).signature().asByteArrayUnsafe();
        return Base64URL.encode(joseSignature(signature, algorithm));
    }

    /** The KMS Sign request for a JWS signing input: its digest under the algorithm's hash, signed as is. */
    static SignRequest signRequest(String keyId, JWSAlgorithm algorithm, byte[] signingInput) {
        SigningKeySpec spec = SigningKeySpec.signing(algorithm)
                .orElseThrow(() -> new IllegalArgumentException("unsupported JWS algorithm: " + algorithm));
        byte[] digest;
        try {
            digest = MessageDigest.getInstance(spec.digestAlgorithm()).digest(signingInput);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-256 and SHA-384", e);
        }
        return SignRequest.builder()
                .keyId(keyId)
                .messageType(MessageType.DIGEST)
                .message(SdkBytes.fromByteArrayUnsafe(digest))
                .signingAlgorithm(spec.kmsSigningAlgorithm())
                .build();
    }

    /**
     * The JWS signature for a signature as KMS returns it. RSA signatures are the same bytes. KMS returns an ECDSA
     * signature as ASN.1 DER (a SEQUENCE of two minimal INTEGERs, so R or S may be shorter than the curve's size,
     * or carry a 0x00 sign byte); JWS wants R and S as fixed-length big-endian integers, concatenated (RFC 7518
     * &sect;3.4).
     */
    static byte[] joseSignature(byte[] kmsSignature, JWSAlgorithm algorithm) throws JOSEException {
        if (!JWSAlgorithm.Family.EC.contains(algorithm)) {
            return kmsSignature;
        }
        return ECDSA.transcodeSignatureToConcat(kmsSignature, ECDSA.getSignatureByteArrayLength(algorithm));
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        return Set.of(algorithm);
    }

    @Override
    public JCAContext getJCAContext() {
        return jcaContext;
    }
}
