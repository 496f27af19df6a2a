package dev.tokenissuer.store;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class UsedAssertionItemTest {

    private final UsedAssertionItem used = new UsedAssertionItem("k-1", "3q2-7w", "n0nce", Instant.ofEpochSecond(1_900_000_000));

    @Test
    @DisplayName("survives the trip through a DynamoDB item, under a key the function's IAM policy lets it write")
    void roundTrip() {
        Map<String, AttributeValue> item = used.toItem();

        assertThat(item.get(TableSchema.PARTITION_KEY).s()).isEqualTo("jti#k-1#3q2-7w")
                .startsWith(TableSchema.USED_ASSERTION_PREFIX);
        assertThat(item.get(TableSchema.TTL_ATTRIBUTE).n()).isEqualTo("1900000000");
        assertThat(UsedAssertionItem.fromItem(item)).contains(used);
    }

    @Test
    @DisplayName("a kid holding '#' still reads back whole")
    void kidWithHash() {
        UsedAssertionItem odd = new UsedAssertionItem("a#b", "d", null, Instant.ofEpochSecond(1));

        assertThat(UsedAssertionItem.fromItem(odd.toItem())).contains(odd);
    }

    @Test
    @DisplayName("no item, another type or a key without the prefix is no replay record")
    void notARecord() {
        Map<String, AttributeValue> otherType = new HashMap<>(used.toItem());
        otherType.put(TableSchema.TYPE, AttributeValue.fromS(TableSchema.TYPE_PUBLIC_KEY));
        Map<String, AttributeValue> otherKey = new HashMap<>(used.toItem());
        otherKey.put(TableSchema.PARTITION_KEY, AttributeValue.fromS("key#k-1"));

        assertThat(UsedAssertionItem.fromItem(Map.of())).isEmpty();
        assertThat(UsedAssertionItem.fromItem(otherType)).isEmpty();
        assertThat(UsedAssertionItem.fromItem(otherKey)).isEmpty();
    }
}
