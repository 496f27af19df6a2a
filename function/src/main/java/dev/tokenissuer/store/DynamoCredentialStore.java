package dev.tokenissuer.store;

import com.nimbusds.jose.jwk.JWK;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

import java.text.ParseException;
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
        return item(clientSecretKey(clientId), TYPE_CLIENT_SECRET).map(item -> new ClientSecretCredential(
                string(item, CLIENT_ID),
                string(item, SERVICE_USER_ID),
                string(item, ORG_ID),
                ServiceUserState.fromStored(string(item, STATE)),
                string(item, SECRET_HASH)));
    }

    @Override
    public Optional<PublicKeyCredential> findPublicKey(String kid) {
        return item(publicKeyKey(kid), TYPE_PUBLIC_KEY).map(item -> new PublicKeyCredential(
                string(item, KID),
                string(item, SERVICE_USER_ID),
                string(item, ORG_ID),
                ServiceUserState.fromStored(string(item, STATE)),
                publicJwk(string(item, PUBLIC_JWK))));
    }

    /** The item under {@code key} if it is of {@code type}: one strongly consistent GetItem. */
    private Optional<Map<String, AttributeValue>> item(String key, String type) {
        GetItemResponse response = dynamo.getItem(request -> request
                .tableName(tableName)
                .key(Map.of(PARTITION_KEY, AttributeValue.fromS(key)))
                // A credential deleted a moment ago must stop working now, not after replication.
                .consistentRead(true));
        if (!response.hasItem() || response.item().isEmpty() || !type.equals(string(response.item(), TYPE))) {
            return Optional.empty();
        }
        return Optional.of(response.item());
    }

    private static JWK publicJwk(String json) {
        try {
            // Only the public half is used, even should a damaged item hold private members.
            return JWK.parse(json).toPublicJWK();
        } catch (ParseException | NullPointerException e) {
            throw new IllegalStateException("a stored public key cannot be read", e);
        }
    }

    private static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }
}
