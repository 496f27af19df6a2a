package dev.tokenissuer.token;

import com.nimbusds.jose.JWSAlgorithm;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * KMS returns ECDSA signatures as ASN.1 DER; a JWS carries R and S as fixed-length big-endian integers (RFC 7518
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

    @Test
    @DisplayName("a P-256 DER signature whose R has a leading zero byte and whose S has its top bit set")
    void p256LeadingZeroInR() throws Exception {
        // R is 31 bytes (its 32-byte form starts with 0x00); S starts with 0x9a, so DER prefixes it with 0x00.
        String r = "7f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1";
        String s = "9a8b7c6d5e4f30211203f4e5d6c7b8a99a8b7c6d5e4f30211203f4e5d6c7b8a9";
        byte[] der = der(hex(r), hex(s));
        assertThat(der[3]).as("R's DER length").isEqualTo((byte) 31);
        assertThat(der[3 + 31 + 2]).as("S's DER length").isEqualTo((byte) 33);

        byte[] jose = KmsJwsSigner.joseSignature(der, JWSAlgorithm.ES256);

        assertThat(HEX.formatHex(jose)).isEqualTo("00" + r + s);
    }

    @Test
    @DisplayName("a P-256 DER signature whose S has two leading zero bytes and whose R has its top bit set")
    void p256LeadingZerosInS() throws Exception {
        String r = "c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4";
        String s = "0b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f00f1e";

        byte[] jose = KmsJwsSigner.joseSignature(der(hex(r), hex(s)), JWSAlgorithm.ES256);

        assertThat(jose).hasSize(64);
        assertThat(HEX.formatHex(jose)).isEqualTo(r + "0000" + s);
    }

    @Test
    @DisplayName("a P-256 DER signature whose R is 0x00 0x85...: the sign byte is padding, not a value byte")
    void p256SignByteAfterLeadingZero() throws Exception {
        // R's 32-byte form is 00 85 ...: DER writes 31 value bytes, but the first has its top bit set, so DER
        // writes 32 bytes again, the first a sign byte. The length alone does not say which case it is.
        String r = "0085a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3";
        String s = "11223344556677881122334455667788112233445566778811223344556677";

        byte[] jose = KmsJwsSigner.joseSignature(der(hex(r), hex(s)), JWSAlgorithm.ES256);

        assertThat(HEX.formatHex(jose)).isEqualTo(r + "00" + s);
    }

    @Test
    @DisplayName("a P-384 DER signature (long-form length) becomes 96 bytes, leading zeros kept")
    void p384() throws Exception {
        String r = "00" + "7f".repeat(47);
        String s = "ff".repeat(48);

        byte[] jose = KmsJwsSigner.joseSignature(der(hex(r), hex(s)), JWSAlgorithm.ES384);

        assertThat(HEX.formatHex(jose)).isEqualTo(r + s);
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
