package dev.tokenissuer.token;

import com.nimbusds.jose.jwk.JWK;
import dev.tokenissuer.store.VerificationSetStore;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.kms.KmsClient;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Loads the {@link KeySet}: the signing key is the one the configured alias (or key id) names in KMS now; the
 * published keys are that key and every key the verification set lists.
 *
 * <p>A load costs one read of the set and one KMS {@code GetPublicKey} for the alias, which may have moved. A key's
 * public half never changes, so each listed key is read from KMS once and then kept.
 */
public final class KeySetLoader implements KeySetSource {

    private final String signingKeyId;
    private final VerificationSetStore verificationSet;
    private final Function<String, SigningKey> publicKeys;
    private final SigningKeysLog log;
    private final Map<String, SigningKey> listedKeys = new ConcurrentHashMap<>();

    /**
     * @param signingKeyId    the alias (or key id) that names the signing key
     * @param verificationSet where the other published keys are listed
     * @param publicKeys      reads a key's public half by key id or alias
     */
    public KeySetLoader(String signingKeyId, VerificationSetStore verificationSet,
                        Function<String, SigningKey> publicKeys, SigningKeysLog log) {
        this.signingKeyId = signingKeyId;
        this.verificationSet = verificationSet;
        this.publicKeys = publicKeys;
        this.log = log;
    }

    /** The loader over KMS: public keys come from {@code GetPublicKey}. */
    public static KeySetLoader kms(KmsClient kms, String signingKeyId, VerificationSetStore verificationSet,
                                   SigningKeysLog log) {
        return new KeySetLoader(signingKeyId, verificationSet, keyId -> KmsPublicKeys.load(kms, keyId), log);
    }

    @Override
    public KeySet load() {
        List<String> listed = verificationSet.read().keyIds();
        SigningKey signer = publicKeys.apply(signingKeyId);
        List<JWK> published = new ArrayList<>(List.of(signer.publicJwk()));
        Set<String> kids = new HashSet<>(Set.of(signer.kid()));
        for (String keyId : listed) {
            SigningKey key = listedKey(keyId);
            if (key != null && kids.add(key.kid())) {
                published.add(key.publicJwk());
            }
        }
        return new KeySet(signer, published);
    }

    /** The listed key's public half; null when KMS will not give it out, which retrying would not change. */
    private SigningKey listedKey(String keyId) {
        SigningKey known = listedKeys.get(keyId);
        if (known != null) {
            return known;
        }
        try {
            SigningKey key = publicKeys.apply(keyId);
            listedKeys.put(keyId, key);
            return key;
        } catch (RuntimeException e) {
            if (!isPermanent(e)) {
                throw e;
            }
            // A key deleted or disabled by hand must not take the JWKS, or a cold start's token requests, down.
            log.keyUnavailable(keyId, e);
            return null;
        }
    }

    private static boolean isPermanent(RuntimeException e) {
        if (e instanceof AwsServiceException service) {
            return !service.isThrottlingException() && service.statusCode() >= 400 && service.statusCode() < 500;
        }
        // A key KMS describes but that cannot sign tokens (another key spec, an unreadable public key).
        return e instanceof IllegalArgumentException || e instanceof IllegalStateException;
    }
}
