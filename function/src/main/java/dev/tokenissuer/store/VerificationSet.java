package dev.tokenissuer.store;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The verification set: every KMS key whose public half the JWKS publishes, in the order the JWKS lists them after
 * the signing key, with what operators need to know about each (when it started and stopped signing). Stored as
 * one item ({@link VerificationSetItem}), written by {@code tokenctl signing-key ...} with a version for optimistic
 * locking.
 *
 * <p>The key with role {@link Role#SIGNING} is the one the function signs with, by its key id and with the kid recorded
 * here, so a token needs no KMS read but its {@code Sign}; {@code tokenctl} sets the role as it moves the alias. The
 * other roles record what it did, for {@code list} and {@code retire}.
 *
 * @param keys    the keys, newest first
 * @param version bumped by every write; 0 when the item does not exist yet
 */
public record VerificationSet(List<Key> keys, long version) {

    public static final VerificationSet EMPTY = new VerificationSet(List.of(), 0);

    public VerificationSet {
        keys = List.copyOf(keys);
    }

    /** What a key does now. */
    public enum Role {
        /** Published, not yet signing: a rotation publishes the new key before the alias moves to it. */
        NEXT,
        /** Signing (the alias names it). */
        SIGNING,
        /** No longer signing, still published while tokens it signed may be unexpired. */
        PREVIOUS;

        public String storedName() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Role fromStored(String value) {
            for (Role role : values()) {
                if (role.storedName().equals(value)) {
                    return role;
                }
            }
            // A damaged role must not make a key vanish from the JWKS early: treat it as still verifying.
            return PREVIOUS;
        }
    }

    /**
     * One key of the set.
     *
     * @param keyId            the KMS key id (what the function asks KMS for)
     * @param kid              its JWK thumbprint, as tokens and the JWKS carry it
     * @param algorithm        the JWS {@code alg} it signs
     * @param keySpec          the KMS key spec
     * @param role             what it does now
     * @param publishedAt      when it entered the set
     * @param signingSince     when the alias moved to it; null while {@link Role#NEXT}
     * @param stoppedSigningAt when the alias moved away from it; null unless {@link Role#PREVIOUS}
     */
    public record Key(String keyId, String kid, String algorithm, String keySpec, Role role, Instant publishedAt,
                      Instant signingSince, Instant stoppedSigningAt) {

        public Key withRole(Role newRole, Instant at) {
            return switch (newRole) {
                case NEXT -> new Key(keyId, kid, algorithm, keySpec, newRole, publishedAt, null, null);
                case SIGNING -> new Key(keyId, kid, algorithm, keySpec, newRole, publishedAt, at, null);
                case PREVIOUS -> new Key(keyId, kid, algorithm, keySpec, newRole, publishedAt, signingSince, at);
            };
        }
    }

    /** The KMS key ids to publish, in order. */
    public List<String> keyIds() {
        return keys.stream().map(Key::keyId).toList();
    }

    public Optional<Key> keyWithRole(Role role) {
        return keys.stream().filter(key -> key.role() == role).findFirst();
    }

    /** The key with this KMS key id, key ARN or {@code kid}. */
    public Optional<Key> find(String keyIdArnOrKid) {
        return keys.stream()
                .filter(key -> key.keyId().equals(keyIdArnOrKid) || key.kid().equals(keyIdArnOrKid)
                        || keyIdArnOrKid.endsWith(":key/" + key.keyId()))
                .findFirst();
    }

    /** The same set with {@code keys} instead, at the same version (the writer bumps it). */
    public VerificationSet withKeys(List<Key> newKeys) {
        return new VerificationSet(newKeys, version);
    }
}
