package dev.tokenissuer.admin;

import dev.tokenissuer.store.DynamoVerificationSetStore;
import dev.tokenissuer.store.VerificationSet;
import dev.tokenissuer.store.VerificationSetItem;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

import java.util.Map;
import java.util.function.UnaryOperator;

import static dev.tokenissuer.store.TableSchema.VERSION;

/**
 * Reads and writes the verification set item. Every write is conditional on the version it read, so two operators
 * (or an interrupted rotation and its resumption) cannot overwrite each other's change unseen.
 */
final class SigningKeyStore {

    private static final int ATTEMPTS = 5;

    private final DynamoDbClient dynamo;
    private final String table;
    private final DynamoVerificationSetStore reader;

    SigningKeyStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
        this.reader = new DynamoVerificationSetStore(dynamo, table);
    }

    VerificationSet read() {
        return reader.read();
    }

    /**
     * Applies {@code change} to the stored set and writes the result, re-reading and re-applying when another write
     * came first. {@code change} must be a function of the set it is given alone.
     *
     * @return the set as stored afterwards
     */
    VerificationSet update(UnaryOperator<VerificationSet> change) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            VerificationSet current = read();
            VerificationSet changed = change.apply(current);
            if (changed.keys().equals(current.keys())) {
                return current;
            }
            VerificationSet next = new VerificationSet(changed.keys(), current.version() + 1);
            PutItemRequest.Builder put = PutItemRequest.builder().tableName(table).item(VerificationSetItem.toItem(next))
                    .expressionAttributeNames(Map.of("#version", VERSION));
            if (current.version() == 0) {
                put.conditionExpression("attribute_not_exists(#version)");
            } else {
                put.conditionExpression("#version = :version").expressionAttributeValues(
                        Map.of(":version", AttributeValue.fromN(Long.toString(current.version()))));
            }
            try {
                dynamo.putItem(put.build());
                return next;
            } catch (ConditionalCheckFailedException conflict) {
                // Someone else wrote the set since we read it: read their version and apply the change to it.
            }
        }
        throw new AdminException("the signing-key set changed under us " + ATTEMPTS + " times; try again");
    }
}
