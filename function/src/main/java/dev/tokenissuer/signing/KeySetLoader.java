package dev.tokenissuer.signing;

import com.nimbusds.jose.jwk.JWK;
import dev.tokenissuer.store.VerificationSet;
import dev.tokenissuer.store.VerificationSetStore;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.kms.KmsClient;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Loads the {@link KeySet}. The verification set names the key that signs and its kid (tokenctl records them as it
 * moves the alias), so a load is one read of the set and a token needs no {@code GetPublicKey}: the function signs
 * with the set's signer by its KMS key id. Only a set that names no signer (one written before roles, or none at all)
 * falls back to {@code GetPublicKey} of the configured alias.
 *
 * <p>The published keys are the signer and every key the set lists. Their public halves are read from KMS when the
 * JWKS first asks for them, once per key: a key's public half never changes.
 */
public final class KeySetLoader implements KeySetSource {

    private final String signingKeyId;
    private final VerificationSetStore verificationSet;
    private final Function<String, PublishedKey> publicKeys;
    private final Function<VerificationSet.Key, Optional<SigningKey>> signers;
    private final SigningKeysLog log;
    private final Map<String, JWK> publicJwks = new ConcurrentHashMap<>();

    /**
     * @param signingKeyId    the alias (or key id) that names the signing key when the set names none
     * @param verificationSet where the signer and the other published keys are listed
     * @param publicKeys      reads a key's public half by key id or alias
     * @param signers         the signer of a set entry, without I/O; empty for a spec that cannot sign tokens
     */
    public KeySetLoader(String signingKeyId, VerificationSetStore verificationSet,
                        Function<String, PublishedKey> publicKeys,
                        Function<VerificationSet.Key, Optional<SigningKey>> signers, SigningKeysLog log) {
        this.signingKeyId = signingKeyId;
        this.verificationSet = verificationSet;
        this.publicKeys = publicKeys;
        this.signers = signers;
        this.log = log;
    }

    /** The loader over KMS: signers by key id, public keys from {@code GetPublicKey}. */
    public static KeySetLoader kms(KmsClient kms, String signingKeyId, VerificationSetStore verificationSet,
                                   SigningKeysLog log) {
        return new KeySetLoader(signingKeyId, verificationSet, keyId -> KmsPublicKeys.load(kms, keyId),
                entry -> SigningKeySpec.named(entry.keySpec())
                        .map(spec -> KmsPublicKeys.signer(kms, entry.keyId(), spec, entry.kid())),
                log);
    }

    /** The loader over KMS, its signers reporting every signature and failure to {@code answers}. */
    public static KeySetLoader kms(KmsClient kms, String signingKeyId, VerificationSetStore verificationSet,
                                   SigningKeysLog log, KmsAnswers answers) {
        return new KeySetLoader(signingKeyId, verificationSet,
                keyId -> recording(KmsPublicKeys.load(kms, keyId), answers),
                entry -> SigningKeySpec.named(entry.keySpec())
                        .map(spec -> KmsPublicKeys.signer(kms, entry.keyId(), spec, entry.kid()))
                        .map(key -> recording(key, answers)),
                log);
    }

    private static SigningKey recording(SigningKey key, KmsAnswers answers) {
        return new SigningKey(key.keyId(), key.algorithm(), key.kid(), answers.recording(key.signer()));
    }

    private static PublishedKey recording(PublishedKey key, KmsAnswers answers) {
        return new PublishedKey(recording(key.signingKey(), answers), key.publicJwk());
    }

    @Override
    public KeySet load() {
        VerificationSet set = verificationSet.read();
        SigningKey signer = set.keyWithRole(VerificationSet.Role.SIGNING).flatMap(signers)
                .orElseGet(this::signerOfTheAlias);
        // The kids the JWKS will list, by key id: the signer's first, then the set's in order, each once.
        Map<String, String> kidsByKeyId = new LinkedHashMap<>();
        kidsByKeyId.put(signer.keyId(), signer.kid());
        for (VerificationSet.Key key : set.keys()) {
            if (!key.kid().equals(signer.kid())) {
                kidsByKeyId.putIfAbsent(key.keyId(), key.kid());
            }
        }
        List<String> keyIds = List.copyOf(kidsByKeyId.keySet());
        return new KeySet(signer, List.copyOf(new LinkedHashSet<>(kidsByKeyId.values())),
                memoized(() -> publicKeysOf(keyIds)));
    }

    private SigningKey signerOfTheAlias() {
        PublishedKey key = publicKeys.apply(signingKeyId);
        publicJwks.put(key.signingKey().keyId(), key.publicJwk());
        return key.signingKey();
    }

    /** The public keys of {@code keyIds}, each read once; a key KMS refuses for good is left out and logged. */
    private List<JWK> publicKeysOf(List<String> keyIds) {
        List<JWK> published = new ArrayList<>();
        Set<String> kids = new LinkedHashSet<>();
        for (String keyId : keyIds) {
            JWK jwk = publicJwk(keyId);
            if (jwk != null && kids.add(jwk.getKeyID())) {
                published.add(jwk);
            }
        }
        return List.copyOf(published);
    }

    /** The key's public half; null when KMS will not give it out, which retrying would not change. */
    private JWK publicJwk(String keyId) {
        JWK known = publicJwks.get(keyId);
        if (known != null) {
            return known;
        }
        try {
            JWK jwk = publicKeys.apply(keyId).publicJwk();
            publicJwks.put(keyId, jwk);
            return jwk;
        } catch (RuntimeException e) {
            if (!isPermanent(e)) {
                throw e;
            }
            // A key deleted or disabled by hand must not take the JWKS down.
            log.keyUnavailable(keyId, e);
            return null;
        }
    }

    /** Computes once, on the first call that succeeds; a failed call (a transient KMS fault) is tried again next time. */
    private static <T> Supplier<T> memoized(Supplier<T> supplier) {
        return new Supplier<>() {
            private volatile T value;

            @Override
            public T get() {
                T result = value;
                if (result == null) {
                    synchronized (this) {
                        result = value;
                        if (result == null) {
                            result = supplier.get();
                            value = result;
                        }
                    }
                }
                return result;
            }
        };
    }

    private static boolean isPermanent(RuntimeException e) {
        if (e instanceof AwsServiceException service) {
            return !service.isThrottlingException() && service.statusCode() >= 400 && service.statusCode() < 500;
        }
        // A key KMS describes but that cannot sign tokens (another key spec, an unreadable public key).
        return e instanceof IllegalArgumentException || e instanceof IllegalStateException;
    }
}
