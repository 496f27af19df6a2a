package dev.tokenissuer.signing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SigningKeySpecTest {

    @Test
    @DisplayName("the token's alg follows the KMS key: RSA keys RS256, P-256 ES256, P-384 ES384")
    void algorithmFollowsKey() {
        assertThat(SigningKeySpec.of(KeySpec.RSA_2048).orElseThrow().jwsAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(SigningKeySpec.of(KeySpec.RSA_3072).orElseThrow().jwsAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(SigningKeySpec.of(KeySpec.RSA_4096).orElseThrow().jwsAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(SigningKeySpec.of(KeySpec.ECC_NIST_P256).orElseThrow().jwsAlgorithm())
                .isEqualTo(JWSAlgorithm.ES256);
        assertThat(SigningKeySpec.of(KeySpec.ECC_NIST_P384).orElseThrow().jwsAlgorithm())
                .isEqualTo(JWSAlgorithm.ES384);
    }

    @Test
    @DisplayName("each JWS alg is signed with the matching KMS signing algorithm and digest")
    void kmsAlgorithm() {
        assertThat(SigningKeySpec.signing(JWSAlgorithm.RS256).orElseThrow().kmsSigningAlgorithm())
                .isEqualTo(SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256);
        assertThat(SigningKeySpec.signing(JWSAlgorithm.ES256).orElseThrow().kmsSigningAlgorithm())
                .isEqualTo(SigningAlgorithmSpec.ECDSA_SHA_256);
        assertThat(SigningKeySpec.signing(JWSAlgorithm.ES384).orElseThrow().kmsSigningAlgorithm())
                .isEqualTo(SigningAlgorithmSpec.ECDSA_SHA_384);
        assertThat(SigningKeySpec.ECC_NIST_P384.digestAlgorithm()).isEqualTo("SHA-384");
        assertThat(SigningKeySpec.RSA_4096.digestAlgorithm()).isEqualTo("SHA-256");
    }

    @Test
    @DisplayName("specs that sign the same alg agree on the KMS algorithm and digest, so the alg alone picks them")
    void sameAlgorithmSameSigning() {
        for (SigningKeySpec spec : SigningKeySpec.values()) {
            SigningKeySpec byAlgorithm = SigningKeySpec.signing(spec.jwsAlgorithm()).orElseThrow();
            assertThat(byAlgorithm.kmsSigningAlgorithm()).as(spec.name()).isEqualTo(spec.kmsSigningAlgorithm());
            assertThat(byAlgorithm.digestLength()).as(spec.name()).isEqualTo(spec.digestLength());
            assertThat(spec.kmsSigningAlgorithm().toString()).as(spec.name()).endsWith("_SHA_" + spec.digestLength() * 8);
            assertThat(spec.name()).isEqualTo(spec.kmsKeySpec().toString());
        }
    }

    @Test
    @DisplayName("EC keys name their curve, RSA keys none")
    void curves() {
        assertThat(SigningKeySpec.ECC_NIST_P256.curve()).contains(Curve.P_256);
        assertThat(SigningKeySpec.ECC_NIST_P384.curve()).contains(Curve.P_384);
        assertThat(SigningKeySpec.RSA_2048.curve()).isEmpty();
    }

    @Test
    @DisplayName("keys that cannot sign JWTs are refused")
    void unsupported() {
        assertThat(SigningKeySpec.of(KeySpec.SYMMETRIC_DEFAULT)).isEmpty();
        assertThat(SigningKeySpec.of(KeySpec.HMAC_256)).isEmpty();
        assertThat(SigningKeySpec.named("HMAC_256")).isEmpty();
        assertThat(SigningKeySpec.named("rsa_2048")).isEmpty();
        assertThat(SigningKeySpec.signing(JWSAlgorithm.PS256)).isEmpty();
        assertThat(SigningKeySpec.named("ECC_NIST_P256")).contains(SigningKeySpec.ECC_NIST_P256);
    }

    @Test
    @DisplayName("the template offers exactly these specs, with the same default")
    void templateAllowsExactlyTheseSpecs() throws Exception {
        // Jackson's YAML reader skips CloudFormation's short-form tags (!Ref, !GetAtt, !Sub) and keeps their values.
        JsonNode parameter = new ObjectMapper(new YAMLFactory()).readTree(Path.of("..", "template.yaml").toFile())
                .path("Parameters").path("SigningKeySpec");
        List<String> allowed = new ArrayList<>();
        parameter.path("AllowedValues").forEach(value -> allowed.add(value.asText()));

        assertThat(allowed).containsExactlyElementsOf(
                Arrays.stream(SigningKeySpec.values()).map(spec -> spec.kmsKeySpec().toString()).toList());
        assertThat(parameter.path("Default").asText()).isEqualTo(SigningKeySpec.DEFAULT.kmsKeySpec().toString());
    }

    @Test
    @DisplayName("the operations guide names every spec")
    void documented() throws Exception {
        String operations = Files.readString(Path.of("..", "docs", "operations.md"));
        for (SigningKeySpec spec : SigningKeySpec.values()) {
            assertThat(operations).as(spec.name()).contains("`" + spec.kmsKeySpec() + "`");
        }
    }
}
