package dev.tokenissuer.store;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static dev.tokenissuer.store.Attributes.isOfType;
import static dev.tokenissuer.store.Attributes.number;
import static dev.tokenissuer.store.Attributes.string;
import static dev.tokenissuer.store.TableSchema.*;

/**
 * The replay record of a jwt-bearer assertion, the one place it is turned into attributes and back. The only item
 * the function writes.
 *
 * @param kid           the key that signed the assertion
 * @param jtiDigest     a digest of its {@code jti}, so the key has a fixed size whatever the client sent
 * @param nonce         the random nonce of the request that wrote it (null in records written before nonces)
 * @param rememberUntil when DynamoDB's TTL may delete the record (to the second)
 */
public record UsedAssertionItem(String kid, String jtiDigest, String nonce, Instant rememberUntil) {

    public String partitionKey() {
        return usedAssertionKey(kid, jtiDigest);
    }

    public Map<String, AttributeValue> toItem() {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put(PARTITION_KEY, AttributeValue.fromS(partitionKey()));
        item.put(TYPE, AttributeValue.fromS(TYPE_USED_ASSERTION));
        if (nonce != null) {
            item.put(USE_NONCE, AttributeValue.fromS(nonce));
        }
        item.put(TTL_ATTRIBUTE, number(rememberUntil.getEpochSecond()));
        return item;
    }

    /** The record {@code item} holds; empty when there is no item, it is of another type or its key is damaged. */
    public static Optional<UsedAssertionItem> fromItem(Map<String, AttributeValue> item) {
        if (!isOfType(item, TYPE_USED_ASSERTION) || item.get(TTL_ATTRIBUTE) == null) {
            return Optional.empty();
        }
        String key = string(item, PARTITION_KEY);
        // The digest is base64url and holds no '#'; the kid before it might.
        int digestStart = key == null ? -1 : key.lastIndexOf('#');
        if (key == null || !key.startsWith(USED_ASSERTION_PREFIX) || digestStart < USED_ASSERTION_PREFIX.length()) {
            return Optional.empty();
        }
        return Optional.of(new UsedAssertionItem(key.substring(USED_ASSERTION_PREFIX.length(), digestStart),
                key.substring(digestStart + 1), string(item, USE_NONCE),
                Instant.ofEpochSecond(Long.parseLong(item.get(TTL_ATTRIBUTE).n()))));
    }
}
