package dev.tokenissuer.store;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;

/** {@link VerificationSetStore} on the {@link TableSchema#SIGNING_KEYS_KEY} item of the table. */
public final class DynamoVerificationSetStore implements VerificationSetStore {

    private final DynamoDbClient dynamo;
    private final String tableName;

    public DynamoVerificationSetStore(DynamoDbClient dynamo, String tableName) {
        this.dynamo = dynamo;
        this.tableName = tableName;
    }

    @Override
    public VerificationSet read() {
        return VerificationSet.fromItem(dynamo.getItem(request -> request
                .tableName(tableName)
                .key(Map.of(TableSchema.PARTITION_KEY, AttributeValue.fromS(TableSchema.SIGNING_KEYS_KEY)))
                // tokenctl waits a refresh interval after publishing a key before signing with it; a stale
                // replica must not stretch that bound.
                .consistentRead(true)).item());
    }
}
