package dev.tokenissuer.store;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.tokenissuer.store.Attributes.isOfType;
import static dev.tokenissuer.store.Attributes.number;
import static dev.tokenissuer.store.Attributes.putString;
import static dev.tokenissuer.store.Attributes.string;
import static dev.tokenissuer.store.TableSchema.*;

/**
 * A service user's item, the one place it is turned into attributes and back. Only {@code tokenctl} reads and
 * writes it: the function finds what it needs copied onto each credential item.
 *
 * @param credentials the partition keys of its credential items, whose copies of org and state follow this item
 * @param version     bumped by every change, for optimistic locking
 * @param createdAt   an ISO-8601 instant
 * @param allowed     the scopes and audiences its tokens may carry, copied onto its credential items
 */
public record ServiceUserItem(String id, String orgId, String title, ServiceUserState state, List<String> credentials,
                              long version, String createdAt, AllowedAccess allowed) {

    public ServiceUserItem {
        credentials = List.copyOf(credentials);
        java.util.Objects.requireNonNull(allowed, "allowed");
    }

    /** A service user that may be granted no scopes and name no audiences. */
    public ServiceUserItem(String id, String orgId, String title, ServiceUserState state, List<String> credentials,
                           long version, String createdAt) {
        this(id, orgId, title, state, credentials, version, createdAt, AllowedAccess.NONE);
    }

    public static String partitionKey(String id) {
        return serviceUserKey(id);
    }

    /** The primary key of the item of service user {@code id}. */
    public static Map<String, AttributeValue> key(String id) {
        return Attributes.key(partitionKey(id));
    }

    public Map<String, AttributeValue> toItem() {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put(PARTITION_KEY, AttributeValue.fromS(partitionKey(id)));
        item.put(TYPE, AttributeValue.fromS(TYPE_SERVICE_USER));
        putString(item, SERVICE_USER_ID, id);
        putString(item, ORG_ID, orgId);
        putString(item, TITLE, title);
        putString(item, STATE, state.storedName());
        // DynamoDB refuses an empty set: no credentials is no attribute.
        if (!credentials.isEmpty()) {
            item.put(CREDENTIALS, AttributeValue.fromSs(credentials));
        }
        item.put(VERSION, number(version));
        putString(item, CREATED_AT, createdAt);
        allowed.putInto(item);
        return item;
    }

    /**
     * The service user {@code item} holds; empty when there is no item or it is of another type. A missing title
     * or creation time reads as empty, a missing version as 0.
     */
    public static Optional<ServiceUserItem> fromItem(Map<String, AttributeValue> item) {
        if (!isOfType(item, TYPE_SERVICE_USER)) {
            return Optional.empty();
        }
        AttributeValue credentials = item.get(CREDENTIALS);
        AttributeValue version = item.get(VERSION);
        return Optional.of(new ServiceUserItem(
                string(item, SERVICE_USER_ID),
                string(item, ORG_ID),
                orEmpty(string(item, TITLE)),
                ServiceUserState.fromStored(string(item, STATE)),
                credentials == null || !credentials.hasSs() ? List.of() : credentials.ss(),
                version == null ? 0 : Long.parseLong(version.n()),
                orEmpty(string(item, CREATED_AT)),
                AllowedAccess.from(item)));
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
