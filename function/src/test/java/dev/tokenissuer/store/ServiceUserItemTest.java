package dev.tokenissuer.store;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceUserItemTest {

    @Test
    @DisplayName("survives the trip through a DynamoDB item, credentials and version included")
    void roundTrip() {
        ServiceUserItem user = new ServiceUserItem("su-1", "org-1", "billing", ServiceUserState.DISABLED,
                List.of(TableSchema.clientSecretKey("c-1"), TableSchema.publicKeyKey("k-1")), 4,
                "2026-01-01T00:00:00Z");

        Map<String, AttributeValue> item = user.toItem();

        assertThat(item.get(TableSchema.PARTITION_KEY).s()).isEqualTo(TableSchema.serviceUserKey("su-1"));
        assertThat(ServiceUserItem.fromItem(item)).contains(user);
    }

    @Test
    @DisplayName("a service user without credentials stores no credentials attribute (DynamoDB refuses empty sets)")
    void noCredentials() {
        ServiceUserItem user = new ServiceUserItem("su-1", "org-1", "billing", ServiceUserState.ENABLED, List.of(), 0,
                "2026-01-01T00:00:00Z");

        Map<String, AttributeValue> item = user.toItem();

        assertThat(item).doesNotContainKey(TableSchema.CREDENTIALS);
        assertThat(item.get(TableSchema.VERSION).n()).isEqualTo("0");
        assertThat(ServiceUserItem.fromItem(item)).contains(user);
    }

    @Test
    @DisplayName("a missing title or creation time reads as empty; no item or another type is no service user")
    void sparseItems() {
        Map<String, AttributeValue> item = new HashMap<>(new ServiceUserItem("su-1", "org-1", "t",
                ServiceUserState.ENABLED, List.of(), 1, "x").toItem());
        item.remove(TableSchema.TITLE);
        item.remove(TableSchema.CREATED_AT);
        Map<String, AttributeValue> other = new HashMap<>(item);
        other.put(TableSchema.TYPE, AttributeValue.fromS(TableSchema.TYPE_PUBLIC_KEY));

        ServiceUserItem read = ServiceUserItem.fromItem(item).orElseThrow();

        assertThat(read.title()).isEmpty();
        assertThat(read.createdAt()).isEmpty();
        assertThat(ServiceUserItem.fromItem(Map.of())).isEmpty();
        assertThat(ServiceUserItem.fromItem(other)).isEmpty();
    }
}
