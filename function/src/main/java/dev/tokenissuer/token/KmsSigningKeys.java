package dev.tokenissuer.token;

import com.nimbusds.jose.jwk.JWK;
import software.amazon.awssdk.services.kms.KmsClient;

import java.util.List;

/**
 * The signing key named by configuration, read from KMS on first use and then kept for the container's life.
 * A failed read is not kept: the next request tries again, so a KMS hiccup at cold start costs one 503, not a
 * broken container.
 */
public final class KmsSigningKeys implements SigningKeys {

    private final KmsClient kms;
    private final String keyIdOrAlias;
    private volatile SigningKey loaded;

    public KmsSigningKeys(KmsClient kms, String keyIdOrAlias) {
        this.kms = kms;
        this.keyIdOrAlias = keyIdOrAlias;
    }

    @Override
    public SigningKey signingKey() {
        SigningKey key = loaded;
        if (key == null) {
            synchronized (this) {
                key = loaded;
                if (key == null) {
                    key = KmsPublicKeys.load(kms, keyIdOrAlias);
                    loaded = key;
                }
            }
        }
        return key;
    }

    @Override
    public List<JWK> verificationKeys() {
        return List.of(signingKey().publicJwk());
    }
}
