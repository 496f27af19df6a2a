package dev.tokenissuer.store;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ClientSecretItemTest {

    private final ClientSecretItem secret = new ClientSecretItem("c-1", "su-1", "org-1", ServiceUserState.ENABLED,
            SecretHasher.hash("s3cret"), "ci", "2026-01-01T00:00:00Z");

    @Test
    @DisplayName("survives the trip through a DynamoDB item, under its client id's key")
    void roundTrip() {
        Map<String, AttributeValue> item = secret.toItem();

        assertThat(item.get(TableSchema.PARTITION_KEY).s()).isEqualTo(TableSchema.clientSecretKey("c-1"));
        assertThat(ClientSecretItem.key("c-1")).containsEntry(TableSchema.PARTITION_KEY,
                item.get(TableSchema.PARTITION_KEY));
        assertThat(ClientSecretItem.fromItem(item)).contains(secret);
    }

    @Test
    @DisplayName("the token endpoint gets the secret's owner, org, state and hash")
    void credential() {
        ClientSecretCredential credential = secret.credential();

        assertThat(credential).isEqualTo(new ClientSecretCredential("c-1", "su-1", "org-1",
                ServiceUserState.ENABLED, secret.secretHash()));
        assertThat(SecretHasher.matches("s3cret", credential.secretHash())).isTrue();
    }

    @Test
    @DisplayName("no item, or an item of another type, is no client secret")
    void noItem() {
        Map<String, AttributeValue> publicKey = new HashMap<>(secret.toItem());
        publicKey.put(TableSchema.TYPE, AttributeValue.fromS(TableSchema.TYPE_PUBLIC_KEY));

        assertThat(ClientSecretItem.fromItem(null)).isEmpty();
        assertThat(ClientSecretItem.fromItem(Map.of())).isEmpty();
        assertThat(ClientSecretItem.fromItem(publicKey)).isEmpty();
    }

    @Test
    @DisplayName("a missing or unknown state reads as disabled")
    void damagedState() {
        Map<String, AttributeValue> item = new HashMap<>(secret.toItem());
        item.put(TableSchema.STATE, AttributeValue.fromS("paused"));
        Map<String, AttributeValue> noState = new HashMap<>(secret.toItem());
        noState.remove(TableSchema.STATE);

        assertThat(ClientSecretItem.fromItem(item).orElseThrow().state()).isEqualTo(ServiceUserState.DISABLED);
        assertThat(ClientSecretItem.fromItem(noState).orElseThrow().state()).isEqualTo(ServiceUserState.DISABLED);
    }

    @Test
    @DisplayName("its text names the client, never the hash")
    void noHashInText() {
        assertThat(secret.toString()).contains("c-1").doesNotContain(secret.secretHash());
    }
}
