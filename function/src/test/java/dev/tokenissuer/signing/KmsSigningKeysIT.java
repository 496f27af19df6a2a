package dev.tokenissuer.signing;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import dev.tokenissuer.testing.AwsEmulator;
import dev.tokenissuer.token.AccessTokenIssuer;
import dev.tokenissuer.token.AccessTokenProfile;
import dev.tokenissuer.token.TokenSubject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeySpec;

import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Tokens signed by real KMS keys (in the emulator) verify with the public key KMS publishes. */
class KmsSigningKeysIT {

    private static KmsClient kms;

    @BeforeAll
    static void connect() {
        kms = AwsEmulator.kms();
    }

    @AfterAll
    static void close() {
        kms.close();
    }

    @ParameterizedTest(name = "{0} signs {1}")
    @CsvSource({"RSA_2048, RS256", "RSA_3072, RS256", "RSA_4096, RS256", "ECC_NIST_P256, ES256",
            "ECC_NIST_P384, ES384"})
    @DisplayName("a token signed through KMS verifies against the key's own public key, with an RFC 7638 kid")
    void signsVerifiableTokens(KeySpec spec, String expectedAlgorithm) throws Exception {
        String keyId = AwsEmulator.newSigningKey(kms, spec);
        String alias = "alias/test-" + java.util.UUID.randomUUID();
        kms.createAlias(r -> r.aliasName(alias).targetKeyId(keyId));

        PublishedKey loaded = KmsPublicKeys.load(kms, alias);
        SigningKey key = loaded.signingKey();

        assertThat(key.algorithm()).isEqualTo(JWSAlgorithm.parse(expectedAlgorithm));
        JWK jwk = loaded.publicJwk();
        assertThat(jwk.isPrivate()).isFalse();
        assertThat(jwk.getKeyUse()).isEqualTo(KeyUse.SIGNATURE);
        assertThat(jwk.getAlgorithm().getName()).isEqualTo(expectedAlgorithm);
        assertThat(jwk.getKeyID()).isEqualTo(jwk.computeThumbprint("SHA-256").toString());

        SigningKeys keys = new SigningKeys() {
            @Override
            public SigningKey signingKey() {
                return key;
            }

            @Override
            public List<JWK> verificationKeys() {
                return List.of(loaded.publicJwk());
            }
        };
        AccessTokenIssuer issuer = new AccessTokenIssuer(keys, Duration.ofMinutes(5), List.of(),
                AccessTokenProfile.FRONTIER, Clock.systemUTC());
        SignedJWT token = SignedJWT.parse(issuer.issue(new TokenSubject("su", "org", "client",
                TokenSubject.VIA_CLIENT_SECRET), "test").accessToken());

        assertThat(token.getHeader().getAlgorithm().getName()).isEqualTo(expectedAlgorithm);
        assertThat(token.getHeader().getType()).isEqualTo(JOSEObjectType.JWT);
        assertThat(token.getHeader().getKeyID()).isEqualTo(jwk.getKeyID());
        // Verify with the key as KMS hands it out, decoded here, not with anything the signing code built.
        assertThat(token.verify(verifierFor(kms.getPublicKey(r -> r.keyId(keyId)).publicKey().asByteArray(),
                spec))).isTrue();
    }

    private static JWSVerifier verifierFor(byte[] spki, KeySpec spec) throws Exception {
        boolean rsa = spec.toString().startsWith("RSA");
        PublicKey publicKey = KeyFactory.getInstance(rsa ? "RSA" : "EC").generatePublic(new X509EncodedKeySpec(spki));
        return rsa ? new RSASSAVerifier((RSAPublicKey) publicKey) : new ECDSAVerifier((ECPublicKey) publicKey);
    }

    @SuppressWarnings("unused")
    private static Class<?>[] jwkTypes() {
        return new Class<?>[] {RSAKey.class, ECKey.class};
    }
}
