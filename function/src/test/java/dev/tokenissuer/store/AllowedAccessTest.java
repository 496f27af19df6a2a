package dev.tokenissuer.store;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The allowed scopes and audiences as each item that carries them writes and reads them. */
class AllowedAccessTest {

    private static final AllowedAccess ALLOWED = new AllowedAccess(List.of("orders:write", "orders:read"),
            List.of("https://orders.example.com"));
    private static final String CREATED = "2026-01-01T00:00:00Z";

    @Test
    @DisplayName("a service user's, a secret's and a key's allowed sets survive the trip through a DynamoDB item")
    void roundTrip() {
        ServiceUserItem user = new ServiceUserItem("su-1", "org-1", "t", ServiceUserState.ENABLED, List.of(), 3,
                CREATED, ALLOWED);
        ClientSecretItem secret = new ClientSecretItem("c-1", "su-1", "org-1", ServiceUserState.ENABLED, "h", "t",
                CREATED, ALLOWED);
        PublicKeyItem key = new PublicKeyItem("k-1", "su-1", "org-1", ServiceUserState.ENABLED,
                "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\","
                        + "\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"}", "EC", "t", CREATED, ALLOWED);

        assertThat(ServiceUserItem.fromItem(user.toItem())).contains(user);
        assertThat(ClientSecretItem.fromItem(secret.toItem())).contains(secret);
        assertThat(PublicKeyItem.fromItem(key.toItem())).contains(key);
        assertThat(secret.credential().allowed()).isEqualTo(ALLOWED);
        assertThat(key.credential().allowed()).isEqualTo(ALLOWED);
        assertThat(secret.toItem().get(TableSchema.ALLOWED_SCOPES).ss())
                .containsExactlyInAnyOrder("orders:read", "orders:write");
    }

    @Test
    @DisplayName("an item written before scopes existed, or with empty sets, allows none and stores no attribute")
    void absentIsNone() {
        ClientSecretItem secret = new ClientSecretItem("c-1", "su-1", "org-1", ServiceUserState.ENABLED, "h", "t",
                CREATED);
        Map<String, AttributeValue> item = secret.toItem();

        assertThat(item).doesNotContainKeys(TableSchema.ALLOWED_SCOPES, TableSchema.ALLOWED_AUDIENCES);
        assertThat(ClientSecretItem.fromItem(item).orElseThrow().allowed()).isEqualTo(AllowedAccess.NONE);
        assertThat(ServiceUserItem.fromItem(new ServiceUserItem("su-1", "o", "t", ServiceUserState.ENABLED,
                List.of(), 0, CREATED).toItem()).orElseThrow().allowed()).isEqualTo(AllowedAccess.NONE);
    }

    @Test
    @DisplayName("the sets read back sorted and without repeats, whatever order DynamoDB returns")
    void sortedAndDistinct() {
        assertThat(new AllowedAccess(List.of("b", "a", "b"), List.of()).scopes()).containsExactly("a", "b");
    }
}
