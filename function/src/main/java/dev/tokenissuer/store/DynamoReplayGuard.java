package dev.tokenissuer.store;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

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
 * of concurrent uses of one assertion exactly one creates the record and the others fail the condition. A failed
 * condition returns the record it met (ReturnValuesOnConditionCheckFailure ALL_OLD, no extra read): if that record
 * holds this request's nonce, an earlier attempt of this same call wrote it, and the use is ours.
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
    public boolean firstUse(String kid, String jti, String nonce, Instant rememberUntil) {
        try {
            dynamo.putItem(request -> request
                    .tableName(tableName)
                    .item(new UsedAssertionItem(kid, digest(jti), nonce, rememberUntil).toItem())
                    // TTL deletes expired items only eventually (within days), so an expired record counts as
                    // absent: a new assertion may reuse a jti once the old one can no longer be accepted.
                    .conditionExpression("attribute_not_exists(#pk) OR #expires < :now")
                    .expressionAttributeNames(Map.of("#pk", PARTITION_KEY, "#expires", TTL_ATTRIBUTE))
                    .expressionAttributeValues(Map.of(
                            ":now", AttributeValue.fromN(Long.toString(clock.instant().getEpochSecond()))))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return true;
        } catch (ConditionalCheckFailedException used) {
            return holdsNonce(used.item(), nonce);
        }
    }

    @Override
    public boolean release(String kid, String jti, String nonce) {
        try {
            dynamo.deleteItem(request -> request
                    .tableName(tableName)
                    .key(Map.of(PARTITION_KEY, key(kid, jti)))
                    .conditionExpression("#nonce = :nonce")
                    .expressionAttributeNames(Map.of("#nonce", USE_NONCE))
                    .expressionAttributeValues(Map.of(":nonce", AttributeValue.fromS(nonce))));
            return true;
        } catch (ConditionalCheckFailedException notOurs) {
            // Gone already, or another request's: ours was released by an earlier attempt of this same call, or
            // never written. Either way the assertion is not held by this request.
            return false;
        }
    }

    private static boolean holdsNonce(Map<String, AttributeValue> existing, String nonce) {
        if (existing == null) {
            return false;
        }
        AttributeValue stored = existing.get(USE_NONCE);
        return stored != null && nonce.equals(stored.s());
    }

    private static AttributeValue key(String kid, String jti) {
        return AttributeValue.fromS(usedAssertionKey(kid, digest(jti)));
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
