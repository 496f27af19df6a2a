package dev.tokenissuer.store;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** {@link VerificationSetStore} on the verification set's item ({@link VerificationSetItem}). */
public final class DynamoVerificationSetStore implements VerificationSetStore {

    private final DynamoDbClient dynamo;
    private final String tableName;

    public DynamoVerificationSetStore(DynamoDbClient dynamo, String tableName) {
        this.dynamo = dynamo;
        this.tableName = tableName;
    }

    @Override
    public VerificationSet read() {
        return VerificationSetItem.fromItem(dynamo.getItem(request -> request
                .tableName(tableName)
                .key(VerificationSetItem.key())
                // tokenctl waits a refresh interval after publishing a key before signing with it; a stale
                // replica must not stretch that bound.
                .consistentRead(true)).item());
    }
}
