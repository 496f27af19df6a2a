package dev.tokenissuer.token;

import com.nimbusds.jose.JWSAlgorithm;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeySpecsTest {

    @Test
    @DisplayName("the token's alg follows the KMS key: RSA keys RS256, P-256 ES256, P-384 ES384")
    void algorithmFollowsKey() {
        assertThat(KeySpecs.jwsAlgorithm(KeySpec.RSA_2048)).isEqualTo(JWSAlgorithm.RS256);
        assertThat(KeySpecs.jwsAlgorithm(KeySpec.RSA_4096)).isEqualTo(JWSAlgorithm.RS256);
        assertThat(KeySpecs.jwsAlgorithm(KeySpec.ECC_NIST_P256)).isEqualTo(JWSAlgorithm.ES256);
        assertThat(KeySpecs.jwsAlgorithm(KeySpec.ECC_NIST_P384)).isEqualTo(JWSAlgorithm.ES384);
    }

    @Test
    @DisplayName("each JWS alg is signed with the matching KMS signing algorithm")
    void kmsAlgorithm() {
        assertThat(KeySpecs.kmsSigningAlgorithm(JWSAlgorithm.RS256))
                .isEqualTo(SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256);
        assertThat(KeySpecs.kmsSigningAlgorithm(JWSAlgorithm.ES256)).isEqualTo(SigningAlgorithmSpec.ECDSA_SHA_256);
        assertThat(KeySpecs.kmsSigningAlgorithm(JWSAlgorithm.ES384)).isEqualTo(SigningAlgorithmSpec.ECDSA_SHA_384);
    }

    @Test
    @DisplayName("keys that cannot sign JWTs are refused")
    void unsupported() {
        assertThatThrownBy(() -> KeySpecs.jwsAlgorithm(KeySpec.SYMMETRIC_DEFAULT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KeySpecs.kmsSigningAlgorithm(JWSAlgorithm.PS256))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
