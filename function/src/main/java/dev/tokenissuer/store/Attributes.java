package dev.tokenissuer.store;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;

/** Reading and writing single attributes, for the item codecs. */
final class Attributes {

    private Attributes() {
    }

    /** The primary key of the item under {@code partitionKey}, as GetItem, DeleteItem and UpdateItem take it. */
    static Map<String, AttributeValue> key(String partitionKey) {
        return Map.of(TableSchema.PARTITION_KEY, AttributeValue.fromS(partitionKey));
    }

    /** Whether {@code item} exists and is of {@code type}: a key prefix alone does not make an item what it claims. */
    static boolean isOfType(Map<String, AttributeValue> item, String type) {
        return item != null && !item.isEmpty() && type.equals(string(item, TableSchema.TYPE));
    }

    /** The string attribute {@code name}; null when absent. */
    static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    /** Puts {@code value} as a string attribute, or nothing when it is null (DynamoDB has no null strings). */
    static void putString(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, AttributeValue.fromS(value));
        }
    }

    static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
