package dev.tokenissuer.store;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static dev.tokenissuer.store.TableSchema.*;

/**
 * The verification set: every KMS key whose public half the JWKS publishes, in the order the JWKS lists them after
 * the signing key, with what operators need to know about each (when it started and stopped signing). Stored as
 * one item, {@link TableSchema#SIGNING_KEYS_KEY}, written by {@code tokenctl signing-key ...} with a version for
 * optimistic locking.
 *
 * <p>Which key signs is not decided here: the function signs with the key its configured alias names. The roles
 * record what {@code tokenctl} did, for {@code list} and {@code retire}.
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

    public static VerificationSet fromItem(Map<String, AttributeValue> item) {
        if (item == null || item.isEmpty() || !TYPE_SIGNING_KEYS.equals(string(item, TYPE))) {
            return EMPTY;
        }
        List<Key> keys = new ArrayList<>();
        AttributeValue list = item.get(KEYS);
        if (list != null && list.hasL()) {
            for (AttributeValue entry : list.l()) {
                if (entry.hasM() && string(entry.m(), KEY_ID) != null) {
                    Map<String, AttributeValue> key = entry.m();
                    keys.add(new Key(string(key, KEY_ID), orEmpty(string(key, KID)), orEmpty(string(key, ALGORITHM)),
                            orEmpty(string(key, KEY_SPEC)), Role.fromStored(string(key, KEY_ROLE)),
                            instant(key, PUBLISHED_AT), instant(key, SIGNING_SINCE), instant(key, STOPPED_SIGNING_AT)));
                }
            }
        }
        AttributeValue version = item.get(VERSION);
        return new VerificationSet(keys, version == null ? 0 : Long.parseLong(version.n()));
    }

    /** The item for this set, with {@code version} as stored. */
    public Map<String, AttributeValue> toItem() {
        List<AttributeValue> entries = new ArrayList<>();
        for (Key key : keys) {
            Map<String, AttributeValue> entry = new LinkedHashMap<>();
            entry.put(KEY_ID, AttributeValue.fromS(key.keyId()));
            entry.put(KID, AttributeValue.fromS(key.kid()));
            entry.put(ALGORITHM, AttributeValue.fromS(key.algorithm()));
            entry.put(KEY_SPEC, AttributeValue.fromS(key.keySpec()));
            entry.put(KEY_ROLE, AttributeValue.fromS(key.role().storedName()));
            putInstant(entry, PUBLISHED_AT, key.publishedAt());
            putInstant(entry, SIGNING_SINCE, key.signingSince());
            putInstant(entry, STOPPED_SIGNING_AT, key.stoppedSigningAt());
            entries.add(AttributeValue.fromM(entry));
        }
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put(PARTITION_KEY, AttributeValue.fromS(SIGNING_KEYS_KEY));
        item.put(TYPE, AttributeValue.fromS(TYPE_SIGNING_KEYS));
        item.put(KEYS, AttributeValue.fromL(entries));
        item.put(VERSION, AttributeValue.fromN(Long.toString(version)));
        return item;
    }

    private static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        String value = string(item, name);
        try {
            return value == null ? null : Instant.parse(value);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static void putInstant(Map<String, AttributeValue> item, String name, Instant value) {
        if (value != null) {
            item.put(name, AttributeValue.fromS(value.toString()));
        }
    }
}
