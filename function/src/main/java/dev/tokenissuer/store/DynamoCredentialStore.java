package dev.tokenissuer.store;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/** {@link CredentialStore} on the DynamoDB table: the items of {@link ClientSecretItem} and {@link PublicKeyItem}. */
public final class DynamoCredentialStore implements CredentialStore {

    private final DynamoDbClient dynamo;
    private final String tableName;
    private final LegacySecrets legacySecrets;

    public DynamoCredentialStore(DynamoDbClient dynamo, String tableName) {
        this.dynamo = dynamo;
        this.tableName = tableName;
        this.legacySecrets = new DynamoLegacySecrets(dynamo, tableName, LegacyCheckBudget.DEFAULT, Clock.systemUTC());
    }

    @Override
    public LegacySecrets legacySecrets() {
        return legacySecrets;
    }

    @Override
    public Optional<ClientSecretCredential> findClientSecret(String clientId) {
        return ClientSecretItem.fromItem(item(ClientSecretItem.key(clientId))).map(ClientSecretItem::credential);
    }

    @Override
    public Optional<PublicKeyCredential> findPublicKey(String kid) {
        return PublicKeyItem.fromItem(item(PublicKeyItem.key(kid))).map(PublicKeyItem::credential);
    }

    /** The item under {@code key}, if any: one strongly consistent GetItem. */
    private Map<String, AttributeValue> item(Map<String, AttributeValue> key) {
        GetItemResponse response = dynamo.getItem(request -> request
                .tableName(tableName)
                .key(key)
                // A credential deleted a moment ago must stop working now, not after replication.
                .consistentRead(true));
        return response.hasItem() ? response.item() : Map.of();
    }
}
