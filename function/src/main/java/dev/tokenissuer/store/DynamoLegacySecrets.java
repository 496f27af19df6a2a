package dev.tokenissuer.store;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Clock;
import java.util.Map;

import static dev.tokenissuer.store.TableSchema.*;

/**
 * {@link LegacySecrets} on the table: one conditional UpdateItem to take a check, one to replace a hash. Windows are
 * decided by {@link TableSchema#WINDOW_ENDS}, never by the TTL, which deletes an item up to days late.
 */
public final class DynamoLegacySecrets implements LegacySecrets {

    private final DynamoDbClient dynamo;
    private final String tableName;
    private final LegacyCheckBudget budget;
    private final Clock clock;

    public DynamoLegacySecrets(DynamoDbClient dynamo, String tableName, LegacyCheckBudget budget, Clock clock) {
        this.dynamo = dynamo;
        this.tableName = tableName;
        this.budget = budget;
        this.clock = clock;
    }

    @Override
    public boolean takeCheck(String clientId) {
        long now = clock.instant().getEpochSecond();
        Map<String, AttributeValue> key = Attributes.key(legacyChecksKey(clientId));
        try {
            // The first check of a new window: none yet, or the last window is over.
            long windowEnds = now + budget.window().toSeconds();
            dynamo.updateItem(request -> request.tableName(tableName).key(key)
                    .conditionExpression("attribute_not_exists(#pk) OR #ends <= :now")
                    .updateExpression("SET #type = :type, #checks = :one, #ends = :ends, #ttl = :ends")
                    .expressionAttributeNames(Map.of("#pk", PARTITION_KEY, "#type", TYPE, "#checks", CHECKS,
                            "#ends", WINDOW_ENDS, "#ttl", TTL_ATTRIBUTE))
                    .expressionAttributeValues(Map.of(":now", Attributes.number(now),
                            ":type", AttributeValue.fromS(TYPE_LEGACY_CHECKS), ":one", Attributes.number(1),
                            ":ends", Attributes.number(windowEnds))));
            return true;
        } catch (ConditionalCheckFailedException windowOpen) {
            // Fall through: a window is open.
        }
        try {
            dynamo.updateItem(request -> request.tableName(tableName).key(key)
                    .conditionExpression("#ends > :now AND #checks < :budget")
                    .updateExpression("ADD #checks :one")
                    .expressionAttributeNames(Map.of("#checks", CHECKS, "#ends", WINDOW_ENDS))
                    .expressionAttributeValues(Map.of(":now", Attributes.number(now),
                            ":budget", Attributes.number(budget.checks()), ":one", Attributes.number(1))));
            return true;
        } catch (ConditionalCheckFailedException spent) {
            // The budget is spent (or the window ended between the two writes: refusing this once is harmless).
            return false;
        }
    }

    @Override
    public boolean replace(String clientId, String legacyHash, String nativeHash) {
        try {
            dynamo.updateItem(request -> request.tableName(tableName).key(ClientSecretItem.key(clientId))
                    .conditionExpression("#type = :type AND #hash = :legacy")
                    .updateExpression("SET #hash = :native")
                    .expressionAttributeNames(Map.of("#type", TYPE, "#hash", SECRET_HASH))
                    .expressionAttributeValues(Map.of(":type", AttributeValue.fromS(TYPE_CLIENT_SECRET),
                            ":legacy", AttributeValue.fromS(legacyHash), ":native", AttributeValue.fromS(nativeHash))));
            return true;
        } catch (ConditionalCheckFailedException replacedOrDeleted) {
            return false;
        }
    }
}
