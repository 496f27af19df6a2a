package dev.tokenissuer.signing;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The KMS key specs tokens can be signed with, one constant each, named as KMS names the spec: what the template's
 * {@code SigningKeySpec} allows and {@code tokenctl --spec} accepts. Adding a spec is adding a constant here (and the
 * value to the template, which a test checks).
 */
public enum SigningKeySpec {

    RSA_2048(KeySpec.RSA_2048, JWSAlgorithm.RS256, SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256, null, 32),
    RSA_3072(KeySpec.RSA_3072, JWSAlgorithm.RS256, SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256, null, 32),
    RSA_4096(KeySpec.RSA_4096, JWSAlgorithm.RS256, SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256, null, 32),
    ECC_NIST_P256(KeySpec.ECC_NIST_P256, JWSAlgorithm.ES256, SigningAlgorithmSpec.ECDSA_SHA_256, Curve.P_256, 32),
    ECC_NIST_P384(KeySpec.ECC_NIST_P384, JWSAlgorithm.ES384, SigningAlgorithmSpec.ECDSA_SHA_384, Curve.P_384, 48);

    /** The spec of a first key when none is asked for, as the template's default. */
    public static final SigningKeySpec DEFAULT = RSA_2048;

    private final KeySpec kmsKeySpec;
    private final JWSAlgorithm jwsAlgorithm;
    private final SigningAlgorithmSpec kmsSigningAlgorithm;
    private final Curve curve;
    private final int digestLength;

    SigningKeySpec(KeySpec kmsKeySpec, JWSAlgorithm jwsAlgorithm, SigningAlgorithmSpec kmsSigningAlgorithm,
                   Curve curve, int digestLength) {
        this.kmsKeySpec = kmsKeySpec;
        this.jwsAlgorithm = jwsAlgorithm;
        this.kmsSigningAlgorithm = kmsSigningAlgorithm;
        this.curve = curve;
        this.digestLength = digestLength;
    }

    public KeySpec kmsKeySpec() {
        return kmsKeySpec;
    }

    /** The JWS {@code alg} of the tokens this key signs. */
    public JWSAlgorithm jwsAlgorithm() {
        return jwsAlgorithm;
    }

    /** What KMS {@code Sign} is asked for: the same hash and padding as {@link #jwsAlgorithm()}. */
    public SigningAlgorithmSpec kmsSigningAlgorithm() {
        return kmsSigningAlgorithm;
    }

    /** The curve of an EC key; empty for RSA. */
    public Optional<Curve> curve() {
        return Optional.ofNullable(curve);
    }

    /** The length in bytes of the digest the signing algorithm signs. */
    public int digestLength() {
        return digestLength;
    }

    /** The JCA name of that digest ({@code SHA-256}, {@code SHA-384}). */
    public String digestAlgorithm() {
        return "SHA-" + digestLength * 8;
    }

    /** The constant for a KMS key spec; empty for a spec tokens cannot be signed with. */
    public static Optional<SigningKeySpec> of(KeySpec kmsKeySpec) {
        return Arrays.stream(values()).filter(spec -> spec.kmsKeySpec == kmsKeySpec).findFirst();
    }

    /** The constant for a key spec as KMS spells it ({@code RSA_2048}); empty for anything else. */
    public static Optional<SigningKeySpec> named(String kmsKeySpec) {
        return Arrays.stream(values()).filter(spec -> spec.kmsKeySpec.toString().equals(kmsKeySpec)).findFirst();
    }

    /**
     * A spec signing with this JWS algorithm; empty if none does. Specs that share an algorithm (the RSA sizes)
     * share the KMS signing algorithm and digest too, so any of them answers for it.
     */
    public static Optional<SigningKeySpec> signing(JWSAlgorithm algorithm) {
        return Arrays.stream(values()).filter(spec -> spec.jwsAlgorithm.equals(algorithm)).findFirst();
    }

    /** The KMS names of all specs, for help and error messages: {@code RSA_2048, RSA_3072, ...}. */
    public static String names() {
        return Arrays.stream(values()).map(spec -> spec.kmsKeySpec.toString()).collect(Collectors.joining(", "));
    }
}
