package dev.tokenissuer.signing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.GetPublicKeyResponse;
import software.amazon.awssdk.services.kms.model.KeySpec;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;

/**
 * Reads a KMS key's public half ({@code GetPublicKey}) and turns it into a {@link PublishedKey} with an RFC 7638
 * thumbprint {@code kid}; and makes the signer of a key whose kid and spec are already known, without reading it.
 */
public final class KmsPublicKeys {

    private KmsPublicKeys() {
    }

    /**
     * @param keyIdOrAlias a key id, key ARN, alias name ({@code alias/...}) or alias ARN
     */
    public static PublishedKey load(KmsClient kms, String keyIdOrAlias) {
        GetPublicKeyResponse response = kms.getPublicKey(request -> request.keyId(keyIdOrAlias));
        // KMS answers with KeySpec and the older CustomerMasterKeySpec; some emulators (moto) only with the latter.
        KeySpec keySpec = response.keySpec() != null
                ? response.keySpec()
                : KeySpec.fromValue(response.customerMasterKeySpecAsString());
        SigningKeySpec spec = SigningKeySpec.of(keySpec).orElseThrow(() -> new IllegalArgumentException(
                "unsupported KMS key spec for signing tokens: " + keySpec));
        JWK jwk = toJwk(response.publicKey().asByteArray(), spec);
        JWSAlgorithm algorithm = spec.jwsAlgorithm();
        // Sign with the key's own id: should the alias move, this key's signatures still match its kid.
        return new PublishedKey(signer(kms, response.keyId(), spec, jwk.getKeyID()), jwk);
    }

    /** The signer of the KMS key {@code keyId}, of {@code spec}, whose public key's thumbprint is {@code kid}. */
    public static SigningKey signer(KmsClient kms, String keyId, SigningKeySpec spec, String kid) {
        return new SigningKey(keyId, spec.jwsAlgorithm(), kid, new KmsJwsSigner(kms, keyId, spec.jwsAlgorithm()));
    }

    static JWK toJwk(byte[] subjectPublicKeyInfo, SigningKeySpec spec) {
        try {
            X509EncodedKeySpec encoded = new X509EncodedKeySpec(subjectPublicKeyInfo);
            if (spec.curve().isPresent()) {
                return new ECKey.Builder(spec.curve().get(),
                        (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(encoded))
                        .keyUse(KeyUse.SIGNATURE)
                        .algorithm(spec.jwsAlgorithm())
                        .keyIDFromThumbprint()
                        .build();
            }
            return new RSAKey.Builder((RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(encoded))
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(spec.jwsAlgorithm())
                    .keyIDFromThumbprint()
                    .build();
        } catch (GeneralSecurityException | JOSEException e) {
            throw new IllegalStateException("KMS returned a public key that cannot be read", e);
        }
    }
}
