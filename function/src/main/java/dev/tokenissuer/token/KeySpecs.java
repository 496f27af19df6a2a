package dev.tokenissuer.token;

import com.nimbusds.jose.JWSAlgorithm;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/** Which JWS algorithm each supported KMS key spec signs with, and the matching KMS signing algorithm. */
public final class KeySpecs {

    private KeySpecs() {
    }

    public static JWSAlgorithm jwsAlgorithm(KeySpec keySpec) {
        return switch (keySpec) {
            case RSA_2048, RSA_3072, RSA_4096 -> JWSAlgorithm.RS256;
            case ECC_NIST_P256 -> JWSAlgorithm.ES256;
            case ECC_NIST_P384 -> JWSAlgorithm.ES384;
            default -> throw new IllegalArgumentException("unsupported KMS key spec for signing tokens: " + keySpec);
        };
    }

    static boolean isSupported(JWSAlgorithm algorithm) {
        return JWSAlgorithm.RS256.equals(algorithm)
                || JWSAlgorithm.ES256.equals(algorithm)
                || JWSAlgorithm.ES384.equals(algorithm);
    }

    /** The JCA name of the hash the algorithm signs with: KMS's signing algorithm hashes with the same one. */
    static String digestAlgorithm(JWSAlgorithm algorithm) {
        if (JWSAlgorithm.RS256.equals(algorithm) || JWSAlgorithm.ES256.equals(algorithm)) {
            return "SHA-256";
        }
        if (JWSAlgorithm.ES384.equals(algorithm)) {
            return "SHA-384";
        }
        throw new IllegalArgumentException("unsupported JWS algorithm: " + algorithm);
    }

    static SigningAlgorithmSpec kmsSigningAlgorithm(JWSAlgorithm algorithm) {
        if (JWSAlgorithm.RS256.equals(algorithm)) {
            return SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256;
        }
        if (JWSAlgorithm.ES256.equals(algorithm)) {
            return SigningAlgorithmSpec.ECDSA_SHA_256;
        }
        if (JWSAlgorithm.ES384.equals(algorithm)) {
            return SigningAlgorithmSpec.ECDSA_SHA_384;
        }
        throw new IllegalArgumentException("unsupported JWS algorithm: " + algorithm);
    }
}
