package dev.tokenissuer.signing;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The public half KMS {@code GetPublicKey} returns is DER SubjectPublicKeyInfo, as Java's {@code getEncoded()}. */
class KmsPublicKeysTest {

    @Test
    @DisplayName("an RSA 2048 public key becomes an RS256 signature JWK with a thumbprint kid and no private members")
    void rsa2048() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        RSAPublicKey publicKey = (RSAPublicKey) generator.generateKeyPair().getPublic();

        JWK jwk = KmsPublicKeys.toJwk(publicKey.getEncoded(), SigningKeySpec.RSA_2048);

        assertThat(jwk.getKeyType()).isEqualTo(KeyType.RSA);
        assertThat(jwk.getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(jwk.getKeyUse()).isEqualTo(KeyUse.SIGNATURE);
        assertThat(jwk.getKeyID()).isEqualTo(jwk.computeThumbprint().toString());
        assertThat(jwk.isPrivate()).isFalse();
        assertThat(jwk.toJSONObject()).containsOnlyKeys("kty", "alg", "use", "kid", "n", "e");
        assertThat(((RSAKey) jwk).toRSAPublicKey()).isEqualTo(publicKey);
    }

    @Test
    @DisplayName("the kid of RFC 7638's own example key is the thumbprint the RFC gives")
    void rfc7638Example() throws Exception {
        // RFC 7638 §3.1
        String n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKR"
                + "XjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaS"
                + "qzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksIN"
                + "HaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
        BigInteger modulus = new BigInteger(1, Base64.getUrlDecoder().decode(n));
        BigInteger exponent = BigInteger.valueOf(65537);
        byte[] spki = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(modulus, exponent)).getEncoded();

        JWK jwk = KmsPublicKeys.toJwk(spki, SigningKeySpec.RSA_2048);

        assertThat(jwk.getKeyID()).isEqualTo("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
    }

    @Test
    @DisplayName("an EC P-256 public key becomes an ES256 signature JWK with a thumbprint kid and no private members")
    void ecP256() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        ECPublicKey publicKey = (ECPublicKey) generator.generateKeyPair().getPublic();

        JWK jwk = KmsPublicKeys.toJwk(publicKey.getEncoded(), SigningKeySpec.ECC_NIST_P256);

        assertThat(jwk.getKeyType()).isEqualTo(KeyType.EC);
        assertThat(((ECKey) jwk).getCurve()).isEqualTo(Curve.P_256);
        assertThat(jwk.getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(jwk.getKeyUse()).isEqualTo(KeyUse.SIGNATURE);
        assertThat(jwk.getKeyID()).isEqualTo(jwk.computeThumbprint().toString());
        assertThat(jwk.isPrivate()).isFalse();
        assertThat(jwk.toJSONObject()).containsOnlyKeys("kty", "alg", "use", "kid", "crv", "x", "y");
        assertThat(((ECKey) jwk).toECPublicKey().getW()).isEqualTo(publicKey.getW());
    }

    @Test
    @DisplayName("bytes that are not a public key are refused with a clear error")
    void unreadableKey() {
        assertThatThrownBy(() -> KmsPublicKeys.toJwk(new byte[] {1, 2, 3}, SigningKeySpec.RSA_2048))
                .isInstanceOf(IllegalStateException.class);
    }
}
