package dev.tokenissuer.signing;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tokenissuer.testing.AwsEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tokens larger than KMS takes as a raw message still sign. The emulator refuses a RAW message over 4096 bytes as
 * real KMS does, so what passes here passes in production.
 */
class KmsJwsSignerIT {

    /** An org id long enough that the token's signing input is well over KMS's 4096-byte RAW limit. */
    private static final String LONG_ORG_ID = "org-" + "x".repeat(6000);

    private static KmsClient kms;

    @BeforeAll
    static void connect() {
        kms = AwsEmulator.kms();
    }

    @AfterAll
    static void close() {
        kms.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"RSA_2048", "ECC_NIST_P256", "ECC_NIST_P384"})
    @DisplayName("a token whose signing input is over 4096 bytes signs and verifies with the key's public key")
    void signsLargeTokens(KeySpec spec) throws Exception {
        String keyId = AwsEmulator.newSigningKey(kms, spec);
        SigningKey key = KmsPublicKeys.load(kms, keyId).signingKey();
        SignedJWT token = new SignedJWT(new JWSHeader.Builder(key.algorithm()).keyID(key.kid()).build(),
                new JWTClaimsSet.Builder().subject("su").claim("org_ids", LONG_ORG_ID).build());
        assertThat(token.getSigningInput().length).isGreaterThan(4096);

        token.sign(key.signer());

        SignedJWT received = SignedJWT.parse(token.serialize());
        assertThat(received.verify(verifierFor(kms.getPublicKey(r -> r.keyId(keyId)).publicKey().asByteArray(),
                spec))).isTrue();
        assertThat(received.getJWTClaimsSet().getStringClaim("org_ids")).isEqualTo(LONG_ORG_ID);
    }

    @Test
    @DisplayName("the emulator refuses a RAW message of that size, as real KMS does (so signing RAW would fail)")
    void rawOfThatSizeIsRefused() {
        String keyId = AwsEmulator.newSigningKey(kms, KeySpec.ECC_NIST_P256);
        byte[] message = ("header." + LONG_ORG_ID).getBytes(StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> kms.sign(r -> r.keyId(keyId).messageType(MessageType.RAW)
                .message(SdkBytes.fromByteArray(message)).signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256)))
                .isInstanceOfSatisfying(KmsException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                    assertThat(e.awsErrorDetails().errorMessage()).contains("less than or equal to 4096");
                });
    }

    private static JWSVerifier verifierFor(byte[] spki, KeySpec spec) throws Exception {
        boolean rsa = spec.toString().startsWith("RSA");
        PublicKey publicKey = KeyFactory.getInstance(rsa ? "RSA" : "EC").generatePublic(new X509EncodedKeySpec(spki));
        return rsa ? new RSASSAVerifier((RSAPublicKey) publicKey) : new ECDSAVerifier((ECPublicKey) publicKey);
    }
}
