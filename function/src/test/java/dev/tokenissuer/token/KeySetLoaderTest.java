package dev.tokenissuer.token;

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
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeySetLoaderTest {

    private static final String ALIAS = "alias/token-issuer-signing";

    private final SigningKey current = LocalSigningKeys.newEcKey("key-current");
    private final SigningKey previous = LocalSigningKeys.newEcKey("key-previous");
    private final SigningKey older = LocalSigningKeys.newEcKey("key-older");

    /** KMS's public keys by id or alias; records every read. */
    private final Map<String, Object> kms = new HashMap<>();
    private final List<String> reads = new ArrayList<>();
    private final Function<String, SigningKey> publicKeys = id -> {
        reads.add(id);
        Object answer = kms.get(id);
        if (answer instanceof RuntimeException failure) {
            throw failure;
        }
        if (answer == null) {
            throw new IllegalStateException("no key " + id);
        }
        return (SigningKey) answer;
    };
    private final RecordingSigningKeysLog log = new RecordingSigningKeysLog();
    private VerificationSet stored = VerificationSet.EMPTY;
    private final KeySetLoader loader = new KeySetLoader(ALIAS, () -> stored, publicKeys, log);

    {
        kms.put(ALIAS, current);
        kms.put(current.keyId(), current);
        kms.put(previous.keyId(), previous);
        kms.put(older.keyId(), older);
    }

    private static VerificationSet.Key entry(SigningKey key, Role role) {
        return new VerificationSet.Key(key.keyId(), key.kid(), "ES256", "ECC_NIST_P256", role,
                Instant.parse("2026-01-01T00:00:00Z"), null, null);
    }

    private static VerificationSet set(VerificationSet.Key... keys) {
        return new VerificationSet(List.of(keys), 1);
    }

    @Test
    @DisplayName("without a verification set, the alias's key signs and is the only one published")
    void noSet() {
        KeySet keys = loader.load();

        assertThat(keys.signer()).isSameAs(current);
        assertThat(keys.published()).containsExactly(current.publicJwk());
    }

    @Test
    @DisplayName("publishes the signer first, then the set's keys in order, each once")
    void signerFirstThenTheSet() {
        stored = set(entry(current, Role.SIGNING), entry(previous, Role.PREVIOUS), entry(older, Role.PREVIOUS));

        KeySet keys = loader.load();

        assertThat(keys.publishedKids()).containsExactly(current.kid(), previous.kid(), older.kid());
    }

    @Test
    @DisplayName("the alias decides which key signs, even when the set says otherwise")
    void theAliasDecides() {
        stored = set(entry(previous, Role.SIGNING), entry(current, Role.NEXT));

        KeySet keys = loader.load();

        assertThat(keys.signer()).isSameAs(current);
        assertThat(keys.publishedKids()).containsExactly(current.kid(), previous.kid());
    }

    @Test
    @DisplayName("reads the alias on every load but each listed key's public half only once")
    void listedKeysAreReadOnce() {
        stored = set(entry(current, Role.SIGNING), entry(previous, Role.PREVIOUS));

        loader.load();
        loader.load();
        loader.load();

        assertThat(reads).containsExactly(ALIAS, current.keyId(), previous.keyId(), ALIAS, ALIAS);
    }

    @Test
    @DisplayName("a listed key KMS refuses for good (disabled, deleted) is left out and logged, not fatal")
    void permanentlyUnavailableKeyIsLeftOut() {
        kms.put(previous.keyId(), DisabledException.builder().statusCode(400).message("disabled").build());
        stored = set(entry(current, Role.SIGNING), entry(previous, Role.PREVIOUS), entry(older, Role.PREVIOUS));

        KeySet keys = loader.load();

        assertThat(keys.publishedKids()).containsExactly(current.kid(), older.kid());
        assertThat(log.unavailableKeyIds()).containsExactly(previous.keyId());
    }

    @Test
    @DisplayName("a listed key KMS cannot give out right now (5xx, throttling) fails the load, to be retried")
    void transientFailureFailsTheLoad() {
        kms.put(previous.keyId(), KmsException.builder().statusCode(500).message("internal").build());
        stored = set(entry(current, Role.SIGNING), entry(previous, Role.PREVIOUS));

        assertThatThrownBy(loader::load).isInstanceOf(KmsException.class);
        assertThat(log.unavailableKeyIds()).isEmpty();
    }

    @Test
    @DisplayName("a signing key KMS refuses fails the load: there is nothing to sign with")
    void signerFailureFailsTheLoad() {
        kms.put(ALIAS, DisabledException.builder().statusCode(400).message("disabled").build());

        assertThatThrownBy(loader::load).isInstanceOf(DisabledException.class);
    }
}
