package dev.tokenissuer.store;

import dev.tokenissuer.store.VerificationSet.Key;
import dev.tokenissuer.store.VerificationSet.Role;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.tokenissuer.store.Attributes.isOfType;
import static dev.tokenissuer.store.Attributes.number;
import static dev.tokenissuer.store.Attributes.string;
import static dev.tokenissuer.store.TableSchema.*;

/**
 * The verification set's item ({@link TableSchema#SIGNING_KEYS_KEY}), the one place it is turned into attributes and
 * back: {@code tokenctl signing-key ...} writes it, the function reads it.
 */
public final class VerificationSetItem {

    private VerificationSetItem() {
    }

    /** The primary key of the item. */
    public static Map<String, AttributeValue> key() {
        return Attributes.key(SIGNING_KEYS_KEY);
    }

    /** The item for {@code set}, with its version as stored. */
    public static Map<String, AttributeValue> toItem(VerificationSet set) {
        List<AttributeValue> entries = new ArrayList<>();
        for (Key key : set.keys()) {
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
        item.put(VERSION, number(set.version()));
        return item;
    }

    /**
     * The set {@code item} holds; {@link VerificationSet#EMPTY} when there is no item yet. A damaged entry without a
     * key id is skipped; other damage reads as the value that keeps the key published.
     */
    public static VerificationSet fromItem(Map<String, AttributeValue> item) {
        if (!isOfType(item, TYPE_SIGNING_KEYS)) {
            return VerificationSet.EMPTY;
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
