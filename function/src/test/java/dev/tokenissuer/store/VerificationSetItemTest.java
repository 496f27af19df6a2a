package dev.tokenissuer.store;

import dev.tokenissuer.store.VerificationSet.Key;
import dev.tokenissuer.store.VerificationSet.Role;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class VerificationSetItemTest {

    private static final Instant T0 = SampleKeys.T0;
    private static final Instant T1 = SampleKeys.T1;

    private final Key next = SampleKeys.NEXT;
    private final Key signing = SampleKeys.SIGNING;
    private final Key previous = SampleKeys.PREVIOUS;

    @Test
    @DisplayName("survives the trip through a DynamoDB item, order and version included")
    void roundTrip() {
        VerificationSet set = new VerificationSet(List.of(next, signing, previous), 7);

        Map<String, AttributeValue> item = VerificationSetItem.toItem(set);

        assertThat(item.get(TableSchema.PARTITION_KEY).s()).isEqualTo(TableSchema.SIGNING_KEYS_KEY);
        assertThat(VerificationSetItem.fromItem(item)).isEqualTo(set);
        assertThat(VerificationSetItem.fromItem(item).keyIds()).containsExactly("k-3", "k-2", "k-1");
    }

    @Test
    @DisplayName("no item is the empty set at version 0")
    void noItem() {
        assertThat(VerificationSetItem.fromItem(null)).isEqualTo(VerificationSet.EMPTY);
        assertThat(VerificationSetItem.fromItem(Map.of())).isEqualTo(VerificationSet.EMPTY);
        assertThat(VerificationSet.EMPTY.version()).isZero();
    }

    @Test
    @DisplayName("a damaged entry without a key id is skipped; a damaged role still publishes the key")
    void damagedEntries() {
        Map<String, AttributeValue> item = new HashMap<>(
                VerificationSetItem.toItem(new VerificationSet(List.of(signing), 1)));
        item.put(TableSchema.KEYS, AttributeValue.fromL(List.of(
                AttributeValue.fromM(Map.of(TableSchema.KID, AttributeValue.fromS("orphan"))),
                AttributeValue.fromM(Map.of(TableSchema.KEY_ID, AttributeValue.fromS("k-9"),
                        TableSchema.KEY_ROLE, AttributeValue.fromS("???"),
                        TableSchema.PUBLISHED_AT, AttributeValue.fromS("yesterday"))),
                AttributeValue.fromS("not a map"))));

        VerificationSet set = VerificationSetItem.fromItem(item);

        assertThat(set.keyIds()).containsExactly("k-9");
        assertThat(set.keys().get(0).role()).isEqualTo(Role.PREVIOUS);
        assertThat(set.keys().get(0).publishedAt()).isNull();
    }

    @Test
    @DisplayName("an item of another type under the key reads as no set")
    void otherType() {
        Map<String, AttributeValue> item = new HashMap<>(
                VerificationSetItem.toItem(new VerificationSet(List.of(signing), 3)));
        item.put(TableSchema.TYPE, AttributeValue.fromS(TableSchema.TYPE_CLIENT_SECRET));

        assertThat(VerificationSetItem.fromItem(item)).isEqualTo(VerificationSet.EMPTY);
    }
}
