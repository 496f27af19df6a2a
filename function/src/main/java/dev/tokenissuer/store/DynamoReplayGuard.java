package dev.tokenissuer.store;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import static dev.tokenissuer.store.TableSchema.*;

/**
 * {@link ReplayGuard} as one conditional PutItem: DynamoDB applies conditional writes to an item one at a time, so
 * of concurrent uses of one assertion exactly one creates the record and the others fail the condition.
 */
public final class DynamoReplayGuard implements ReplayGuard {

    private final DynamoDbClient dynamo;
    private final String tableName;
    private final Clock clock;

    public DynamoReplayGuard(DynamoDbClient dynamo, String tableName, Clock clock) {
        this.dynamo = dynamo;
        this.tableName = tableName;
        this.clock = clock;
    }

    @Override
    public boolean firstUse(String kid, String jti, Instant rememberUntil) {
        try {
            dynamo.putItem(request -> request
                    .tableName(tableName)
                    .item(new UsedAssertionItem(kid, digest(jti), rememberUntil).toItem())
                    // TTL deletes expired items only eventually (within days), so an expired record counts as
                    // absent: a new assertion may reuse a jti once the old one can no longer be accepted.
                    .conditionExpression("attribute_not_exists(#pk) OR #expires < :now")
                    .expressionAttributeNames(Map.of("#pk", PARTITION_KEY, "#expires", TTL_ATTRIBUTE))
                    .expressionAttributeValues(Map.of(
                            ":now", AttributeValue.fromN(Long.toString(clock.instant().getEpochSecond())))));
            return true;
        } catch (ConditionalCheckFailedException used) {
            return false;
        }
    }

    private static String digest(String jti) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(jti.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
