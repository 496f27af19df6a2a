package dev.tokenissuer.admin;

import dev.tokenissuer.store.ServiceUserItem;
import dev.tokenissuer.store.ServiceUserState;
import dev.tokenissuer.store.TableSchema;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code serviceuser list}: service users a page at a time from the org index ({@link TableSchema#ORG_INDEX}). With an
 * org it is a Query that reads only that org's service users ({@code begins_with(pk, "serviceuser#")} on the sort
 * key); without one, a Scan of the index, which holds service users and their credentials but never the replay
 * records, so it is not a scan of the table. A state is a filter. The index is eventually consistent: a service user
 * created a moment ago may be missing from a listing for a second or so. The page token is the opaque position
 * DynamoDB returned, base64url-encoded.
 */
final class ServiceUserDirectory {

    static final int DEFAULT_PAGE_SIZE = 50;
    static final int MAX_PAGE_SIZE = 500;
    private static final String PREFIX = TableSchema.serviceUserKey("");

    private final DynamoDbClient dynamo;
    private final String table;

    ServiceUserDirectory(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    record Page(List<AdminStore.ServiceUser> serviceUsers, Optional<String> nextPageToken) {
    }

    /** Up to {@code pageSize} service users after {@code pageToken}; the next token when there may be more. */
    Page list(Optional<String> orgId, Optional<ServiceUserState> state, int pageSize, Optional<String> pageToken) {
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new AdminException("the page size must be between 1 and " + MAX_PAGE_SIZE);
        }
        orgId.ifPresent(FieldLimits::orgId);
        Map<String, String> names = new HashMap<>(Map.of("#pk", TableSchema.PARTITION_KEY));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":prefix", AttributeValue.fromS(PREFIX)));
        orgId.ifPresent(org -> {
            names.put("#org", TableSchema.ORG_ID);
            values.put(":org", AttributeValue.fromS(org));
        });
        state.ifPresent(wanted -> {
            names.put("#state", TableSchema.STATE);
            values.put(":state", AttributeValue.fromS(wanted.storedName()));
        });
        String stateFilter = state.isPresent() ? "#state = :state" : null;
        List<AdminStore.ServiceUser> users = new ArrayList<>();
        Map<String, AttributeValue> position = pageToken.map(ServiceUserDirectory::decode).orElse(null);
        do {
            int limit = pageSize - users.size();
            Map<String, AttributeValue> start = position;
            List<Map<String, AttributeValue>> items;
            if (orgId.isPresent()) {
                var response = dynamo.query(r -> r.tableName(table).indexName(TableSchema.ORG_INDEX)
                        .keyConditionExpression("#org = :org AND begins_with(#pk, :prefix)")
                        .filterExpression(stateFilter)
                        .expressionAttributeNames(names).expressionAttributeValues(values)
                        .exclusiveStartKey(start).limit(limit));
                items = response.items();
                position = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                        ? response.lastEvaluatedKey() : null;
            } else {
                var response = dynamo.scan(r -> r.tableName(table).indexName(TableSchema.ORG_INDEX)
                        .filterExpression("begins_with(#pk, :prefix)"
                                + (stateFilter == null ? "" : " AND " + stateFilter))
                        .expressionAttributeNames(names).expressionAttributeValues(values)
                        .exclusiveStartKey(start).limit(limit));
                items = response.items();
                position = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                        ? response.lastEvaluatedKey() : null;
            }
            for (Map<String, AttributeValue> item : items) {
                ServiceUserItem.fromItem(item).ifPresent(user -> users.add(AdminStore.serviceUser(user)));
            }
        } while (users.size() < pageSize && position != null);
        return new Page(users, Optional.ofNullable(position).map(ServiceUserDirectory::encode));
    }

    private static String encode(Map<String, AttributeValue> key) {
        Map<String, String> strings = new LinkedHashMap<>();
        key.forEach((name, value) -> strings.put(name, value.s()));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                dev.tokenissuer.http.JsonValues.write(strings).getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, AttributeValue> decode(String token) {
        try {
            Object json = dev.tokenissuer.http.JsonValues.read(Base64.getUrlDecoder().decode(token));
            Map<String, AttributeValue> key = new HashMap<>();
            if (!(json instanceof Map<?, ?> map) || map.isEmpty()) {
                throw new IllegalArgumentException("not an object");
            }
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getValue() instanceof String value)) {
                    throw new IllegalArgumentException("not a string");
                }
                key.put(String.valueOf(entry.getKey()), AttributeValue.fromS(value));
            }
            return key;
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new AdminException("that is not a page token of serviceuser list");
        }
    }
}
