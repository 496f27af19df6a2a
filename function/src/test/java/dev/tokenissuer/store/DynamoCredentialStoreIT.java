package dev.tokenissuer.store;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.tokenissuer.testing.AwsEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class DynamoCredentialStoreIT {

    private static DynamoDbClient dynamo;
    private static String table;
    private static DynamoCredentialStore store;

    @BeforeAll
    static void createTable() {
        dynamo = AwsEmulator.dynamo();
        table = AwsEmulator.newTable(dynamo);
        store = new DynamoCredentialStore(dynamo, table);
    }

    @AfterAll
    static void close() {
        dynamo.close();
    }

    @Test
    void findsAStoredClientSecretWithItsServiceUsersOrgAndState() {
        String clientId = UUID.randomUUID().toString();
        String hash = SecretHasher.hash("s3cret");
        put(clientId, TableSchema.TYPE_CLIENT_SECRET, "disabled", hash);

        ClientSecretCredential found = store.findClientSecret(clientId).orElseThrow();

        assertThat(found.clientId()).isEqualTo(clientId);
        assertThat(found.serviceUserId()).isEqualTo("su-1");
        assertThat(found.orgId()).isEqualTo("org-1");
        assertThat(found.state()).isEqualTo(ServiceUserState.DISABLED);
        assertThat(SecretHasher.matches("s3cret", found.secretHash())).isTrue();
    }

    @Test
    void findsNothingForAnUnknownClientId() {
        assertThat(store.findClientSecret(UUID.randomUUID().toString())).isEmpty();
    }

    @Test
    void ignoresAnItemOfAnotherTypeUnderTheSameKey() {
        String clientId = UUID.randomUUID().toString();
        put(clientId, "something_else", "enabled", SecretHasher.hash("s3cret"));

        assertThat(store.findClientSecret(clientId)).isEmpty();
    }

    @Test
    void treatsAMissingOrUnknownStateAsDisabled() {
        String clientId = UUID.randomUUID().toString();
        put(clientId, TableSchema.TYPE_CLIENT_SECRET, "paused", SecretHasher.hash("s3cret"));

        assertThat(store.findClientSecret(clientId).orElseThrow().state()).isEqualTo(ServiceUserState.DISABLED);
    }

    @Test
    void findsAStoredPublicKeyWithItsServiceUsersOrgAndStateAndOnlyItsPublicHalf() throws Exception {
        String kid = UUID.randomUUID().toString();
        RSAKey key = new RSAKeyGenerator(2048).keyID(kid).generate();
        // Even should a damaged item hold private members, only the public half comes back.
        putKey(kid, TableSchema.TYPE_PUBLIC_KEY, key.toJSONString());

        PublicKeyCredential found = store.findPublicKey(kid).orElseThrow();

        assertThat(found.kid()).isEqualTo(kid);
        assertThat(found.serviceUserId()).isEqualTo("su-1");
        assertThat(found.orgId()).isEqualTo("org-1");
        assertThat(found.state()).isEqualTo(ServiceUserState.ENABLED);
        assertThat(found.publicKey()).isEqualTo(key.toPublicJWK());
        assertThat(found.publicKey().isPrivate()).isFalse();
    }

    @Test
    void findsNoPublicKeyForAnUnknownKidOrAClientSecretItem() {
        String clientId = UUID.randomUUID().toString();
        put(clientId, TableSchema.TYPE_CLIENT_SECRET, "enabled", SecretHasher.hash("s3cret"));
        String kid = UUID.randomUUID().toString();
        putKey(kid, TableSchema.TYPE_CLIENT_SECRET, "{}");

        assertThat(store.findPublicKey(UUID.randomUUID().toString())).isEmpty();
        assertThat(store.findPublicKey(clientId)).isEmpty();
        assertThat(store.findPublicKey(kid)).isEmpty();
    }

    private static void putKey(String kid, String type, String jwk) {
        dynamo.putItem(r -> r.tableName(table).item(Map.of(
                TableSchema.PARTITION_KEY, AttributeValue.fromS(TableSchema.publicKeyKey(kid)),
                TableSchema.TYPE, AttributeValue.fromS(type),
                TableSchema.KID, AttributeValue.fromS(kid),
                TableSchema.SERVICE_USER_ID, AttributeValue.fromS("su-1"),
                TableSchema.ORG_ID, AttributeValue.fromS("org-1"),
                TableSchema.STATE, AttributeValue.fromS("enabled"),
                TableSchema.PUBLIC_JWK, AttributeValue.fromS(jwk))));
    }

    private static void put(String clientId, String type, String state, String hash) {
        dynamo.putItem(r -> r.tableName(table).item(Map.of(
                TableSchema.PARTITION_KEY, AttributeValue.fromS(TableSchema.clientSecretKey(clientId)),
                TableSchema.TYPE, AttributeValue.fromS(type),
                TableSchema.CLIENT_ID, AttributeValue.fromS(clientId),
                TableSchema.SERVICE_USER_ID, AttributeValue.fromS("su-1"),
                TableSchema.ORG_ID, AttributeValue.fromS("org-1"),
                TableSchema.STATE, AttributeValue.fromS(state),
                TableSchema.SECRET_HASH, AttributeValue.fromS(hash))));
    }
}
