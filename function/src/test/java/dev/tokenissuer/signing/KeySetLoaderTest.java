package dev.tokenissuer.signing;

import dev.tokenissuer.store.VerificationSet;
import dev.tokenissuer.store.VerificationSet.Role;
import dev.tokenissuer.testing.LocalSigningKeys;
import dev.tokenissuer.testing.RecordingSigningKeysLog;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.model.DisabledException;
import software.amazon.awssdk.services.kms.model.KmsException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a load reads, and what it signs with and publishes. */
class KeySetLoaderTest {

    private static final String ALIAS = "alias/token-issuer-signing";

    private final PublishedKey current = LocalSigningKeys.newEcKey("key-current");
    private final PublishedKey previous = LocalSigningKeys.newEcKey("key-previous");
    private final PublishedKey older = LocalSigningKeys.newEcKey("key-older");

    /** KMS's public keys by id or alias; records every read. */
    private final Map<String, Object> kms = new HashMap<>();
    private final List<String> reads = new ArrayList<>();
    private final Function<String, PublishedKey> publicKeys = id -> {
        reads.add(id);
        Object answer = kms.get(id);
        if (answer instanceof RuntimeException failure) {
            throw failure;
        }
        if (answer == null) {
            throw new IllegalStateException("no key " + id);
        }
        return (PublishedKey) answer;
    };
    /** Signers made from set entries, as the KMS loader makes them: no read. */
    private final Function<VerificationSet.Key, Optional<SigningKey>> signers = entry -> Stream.of(current, previous,
            older).map(PublishedKey::signingKey).filter(key -> key.keyId().equals(entry.keyId())).findFirst();
    private final RecordingSigningKeysLog log = new RecordingSigningKeysLog();
    private VerificationSet stored = VerificationSet.EMPTY;
    private final KeySetLoader loader = new KeySetLoader(ALIAS, () -> stored, publicKeys, signers, log);

    {
        kms.put(ALIAS, current);
        kms.put(current.signingKey().keyId(), current);
        kms.put(previous.signingKey().keyId(), previous);
        kms.put(older.signingKey().keyId(), older);
    }

    private static VerificationSet.Key entry(PublishedKey key, Role role) {
        return new VerificationSet.Key(key.signingKey().keyId(), key.signingKey().kid(), "ES256", "ECC_NIST_P256",
                role, Instant.parse("2026-01-01T00:00:00Z"), null, null);
    }

    private static VerificationSet set(VerificationSet.Key... keys) {
        return new VerificationSet(List.of(keys), 1);
    }

    @Test
    @DisplayName("without a verification set, the alias's key signs and is the only one published")
    void noSet() {
        KeySet keys = loader.load();

        assertThat(keys.signer()).isSameAs(current.signingKey());
        assertThat(keys.published()).containsExactly(current.publicJwk());
    }

    @Test
    @DisplayName("the set's signer signs, with no KMS read at all: a token needs no GetPublicKey")
    void theSetNamesTheSigner() {
        stored = set(entry(current, Role.SIGNING), entry(previous, Role.PREVIOUS));

        KeySet keys = loader.load();

        assertThat(keys.signer()).isSameAs(current.signingKey());
        assertThat(keys.publishedKids()).containsExactly(current.signingKey().kid(), previous.signingKey().kid());
        assertThat(reads).isEmpty();
    }

    @Test
    @DisplayName("the set decides which key signs, not the alias: tokenctl records the signer as it moves the alias")
    void theSetDecides() {
        stored = set(entry(previous, Role.SIGNING), entry(current, Role.NEXT));

        KeySet keys = loader.load();

        assertThat(keys.signer()).isSameAs(previous.signingKey());
        assertThat(keys.publishedKids()).containsExactly(previous.signingKey().kid(), current.signingKey().kid());
    }

    @Test
    @DisplayName("publishes the signer first, then the set's keys in order, each once")
    void signerFirstThenTheSet() {
        stored = set(entry(previous, Role.PREVIOUS), entry(current, Role.SIGNING), entry(older, Role.PREVIOUS));

        KeySet keys = loader.load();

        assertThat(keys.publishedKids()).containsExactly(current.signingKey().kid(), previous.signingKey().kid(),
                older.signingKey().kid());
        assertThat(keys.published()).containsExactly(current.publicJwk(), previous.publicJwk(), older.publicJwk());
    }

    @Test
    @DisplayName("reads each published key's public half once, when the JWKS first asks, and never again")
    void publicKeysAreReadOnceWhenAskedFor() {
        stored = set(entry(current, Role.SIGNING), entry(previous, Role.PREVIOUS));

        loader.load();
        loader.load().published();
        loader.load().published();

        assertThat(reads).containsExactly(current.signingKey().keyId(), previous.signingKey().keyId());
    }

    @Test
    @DisplayName("a listed key KMS refuses for good (disabled, deleted) is left out of the JWKS and logged, not fatal")
    void permanentlyUnavailableKeyIsLeftOut() {
        kms.put(previous.signingKey().keyId(), DisabledException.builder().statusCode(400).message("disabled").build());
        stored = set(entry(current, Role.SIGNING), entry(previous, Role.PREVIOUS), entry(older, Role.PREVIOUS));

        KeySet keys = loader.load();

        assertThat(keys.published()).containsExactly(current.publicJwk(), older.publicJwk());
        assertThat(log.unavailableKeyIds()).containsExactly(previous.signingKey().keyId());
    }

    @Test
    @DisplayName("a listed key KMS cannot give out right now (5xx, throttling) fails the JWKS, to be retried, not the signing")
    void transientFailureFailsTheJwksOnly() {
        kms.put(previous.signingKey().keyId(), KmsException.builder().statusCode(500).message("internal").build());
        stored = set(entry(current, Role.SIGNING), entry(previous, Role.PREVIOUS));

        KeySet keys = loader.load();

        assertThat(keys.signer()).isSameAs(current.signingKey());
        assertThatThrownBy(keys::published).isInstanceOf(KmsException.class);
        kms.put(previous.signingKey().keyId(), previous);
        assertThat(keys.published()).containsExactly(current.publicJwk(), previous.publicJwk());
        assertThat(log.unavailableKeyIds()).isEmpty();
    }

    @Test
    @DisplayName("without a signer in the set, a signing key KMS refuses fails the load: there is nothing to sign with")
    void signerFailureFailsTheLoad() {
        kms.put(ALIAS, DisabledException.builder().statusCode(400).message("disabled").build());

        assertThatThrownBy(loader::load).isInstanceOf(DisabledException.class);
    }
}
