package dev.tokenissuer.store;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

import java.util.Map;
import java.util.Optional;

import static dev.tokenissuer.store.TableSchema.*;

/** {@link CredentialStore} on the DynamoDB table described by {@link TableSchema}. */
public final class DynamoCredentialStore implements CredentialStore {

    private final DynamoDbClient dynamo;
    private final String tableName;

    public DynamoCredentialStore(DynamoDbClient dynamo, String tableName) {
        this.dynamo = dynamo;
        this.tableName = tableName;
    }

    @Override
    public Optional<ClientSecretCredential> findClientSecret(String clientId) {
        GetItemResponse response = dynamo.getItem(request -> request
                .tableName(tableName)
                .key(Map.of(PARTITION_KEY, AttributeValue.fromS(clientSecretKey(clientId))))
                // A secret deleted a moment ago must stop working now, not after replication.
                .consistentRead(true));
        if (!response.hasItem() || response.item().isEmpty()) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = response.item();
        if (!TYPE_CLIENT_SECRET.equals(string(item, TYPE))) {
            return Optional.empty();
        }
        return Optional.of(new ClientSecretCredential(
                string(item, CLIENT_ID),
                string(item, SERVICE_USER_ID),
                string(item, ORG_ID),
                ServiceUserState.fromStored(string(item, STATE)),
                string(item, SECRET_HASH)));
    }

    private static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }
}
