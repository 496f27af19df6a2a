package dev.tokenissuer.signing;

import com.nimbusds.jose.JWSAlgorithm;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.SignRequest;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the signer asks of KMS, and how it turns KMS's answer into a JWS signature.
 *
 * <p>KMS returns ECDSA signatures as ASN.1 DER; a JWS carries R and S as fixed-length big-endian integers (RFC 7518
 * &sect;3.4). DER integers are minimal and signed, so a value with a leading zero byte is one byte shorter there, and
 * a value whose top bit is set gets an extra 0x00: both must come out padded to the curve's size.
 */
class KmsJwsSignerTest {

    private static final HexFormat HEX = HexFormat.of();

    /** An ASN.1 DER ECDSA-Sig-Value, built here byte by byte: SEQUENCE { INTEGER r, INTEGER s }. */
    private static byte[] der(BigInteger r, BigInteger s) {
        ByteArrayOutputStream integers = new ByteArrayOutputStream();
        for (BigInteger value : new BigInteger[] {r, s}) {
            byte[] minimal = value.toByteArray(); // two's complement, minimal: DER's INTEGER contents
            integers.write(0x02);
            integers.write(minimal.length);
            integers.writeBytes(minimal);
        }
        ByteArrayOutputStream sequence = new ByteArrayOutputStream();
        sequence.write(0x30);
        if (integers.size() > 127) {
            sequence.write(0x81); // long-form length, as P-384 signatures can need
        }
        sequence.write(integers.size());
        sequence.writeBytes(integers.toByteArray());
        return sequence.toByteArray();
    }

    private static BigInteger hex(String digits) {
        return new BigInteger(digits, 16);
    }

    private static String leftPad(String hexDigits, int length) {
        return "0".repeat(length - hexDigits.length()) + hexDigits;
    }

    static Stream<Arguments> derSignatures() {
        return Stream.of(
                Arguments.of("P-256: R has a leading zero byte (31 bytes in DER), S its top bit set (33 in DER)",
                        "ES256",
                        "7f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1",
                        "9a8b7c6d5e4f30211203f4e5d6c7b8a99a8b7c6d5e4f30211203f4e5d6c7b8a9"),
                Arguments.of("P-256: S has two leading zero bytes, R its top bit set",
                        "ES256",
                        "c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4",
                        "0b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f00f1e"),
                Arguments.of("P-256: R is 00 85..., 32 bytes in DER again, the first a sign byte, not a value byte",
                        "ES256",
                        "85a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3",
                        "11223344556677881122334455667788112233445566778811223344556677"),
                Arguments.of("P-384 (long-form DER length): R has a leading zero byte, S is all ones",
                        "ES384", "7f".repeat(47), "ff".repeat(48)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("derSignatures")
    @DisplayName("a DER signature becomes R and S padded to the curve size, whatever their DER length")
    void derToJose(String what, String alg, String r, String s) throws Exception {
        int hexDigits = JWSAlgorithm.ES256.getName().equals(alg) ? 64 : 96;

        byte[] jose = KmsJwsSigner.joseSignature(der(hex(r), hex(s)), JWSAlgorithm.parse(alg));

        assertThat(HEX.formatHex(jose)).isEqualTo(leftPad(r, hexDigits) + leftPad(s, hexDigits));
    }

    @ParameterizedTest(name = "{0} sends a {2}-byte {1} digest")
    @CsvSource({"RS256, SHA-256, 32, RSASSA_PKCS1_V1_5_SHA_256", "ES256, SHA-256, 32, ECDSA_SHA_256",
            "ES384, SHA-384, 48, ECDSA_SHA_384"})
    @DisplayName("KMS gets the digest of the signing input, marked DIGEST, however long the token")
    void signsTheDigest(String alg, String hash, int length, SigningAlgorithmSpec kmsAlgorithm) throws Exception {
        byte[] signingInput = ("header." + "p".repeat(20_000)).getBytes(StandardCharsets.US_ASCII);

        SignRequest request = KmsJwsSigner.signRequest("key-1", JWSAlgorithm.parse(alg), signingInput);

        assertThat(request.messageType()).isEqualTo(MessageType.DIGEST);
        assertThat(request.message().asByteArray())
                .hasSize(length)
                .isEqualTo(MessageDigest.getInstance(hash).digest(signingInput));
        assertThat(request.signingAlgorithm()).isEqualTo(kmsAlgorithm);
        assertThat(request.keyId()).isEqualTo("key-1");
    }

    @Test
    @DisplayName("an RSA signature is passed through unchanged")
    void rsaUnchanged() throws Exception {
        byte[] signature = {0, 1, 2, (byte) 0xff};

        assertThat(KmsJwsSigner.joseSignature(signature, JWSAlgorithm.RS256)).isEqualTo(signature);
    }

    @Test
    @DisplayName("real P-256 DER signatures with a short R or S verify after conversion, by the JDK's own R||S verifier")
    void realSignaturesWithAShortValue() throws Exception {
        // Seeded, so the same signatures come every run.
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(4);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), random);
        KeyPair pair = generator.generateKeyPair();
        byte[] message = "header.payload".getBytes(StandardCharsets.UTF_8);
        Signature signer = Signature.getInstance("SHA256withECDSA"); // DER out, as KMS signs
        signer.initSign(pair.getPrivate(), random);
        Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format"); // R||S in
        verifier.initVerify(pair.getPublic());

        // About one signature in 128 has an R or S below 2^248, that is a leading zero byte in its 32-byte form.
        int converted = 0;
        for (int attempt = 0; attempt < 5_000 && converted < 1; attempt++) {
            signer.update(message);
            byte[] der = signer.sign();
            BigInteger[] rs = decode(der);
            if (rs[0].bitLength() > 248 && rs[1].bitLength() > 248) {
                continue;
            }

            byte[] jose = KmsJwsSigner.joseSignature(der, JWSAlgorithm.ES256);

            assertThat(jose).hasSize(64);
            assertThat(new BigInteger(1, Arrays.copyOfRange(jose, 0, 32))).isEqualTo(rs[0]);
            assertThat(new BigInteger(1, Arrays.copyOfRange(jose, 32, 64))).isEqualTo(rs[1]);
            verifier.update(message);
            assertThat(verifier.verify(jose)).as("R||S verifies: %s", HEX.formatHex(der)).isTrue();
            converted++;
        }
        assertThat(converted).as("signatures with a short R or S met").isEqualTo(1);
    }

    /** R and S out of a DER ECDSA-Sig-Value, read independently of the code under test. */
    private static BigInteger[] decode(byte[] der) {
        int offset = (der[1] & 0xff) == 0x81 ? 3 : 2;
        int rLength = der[offset + 1];
        BigInteger r = new BigInteger(Arrays.copyOfRange(der, offset + 2, offset + 2 + rLength));
        offset = offset + 2 + rLength;
        int sLength = der[offset + 1];
        BigInteger s = new BigInteger(Arrays.copyOfRange(der, offset + 2, offset + 2 + sLength));
        return new BigInteger[] {r, s};
    }
}
