package dev.tokenissuer.store;

import dev.tokenissuer.testing.AwsEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** The replay guard's conditional write against DynamoDB in the emulator. */
class DynamoReplayGuardIT {

    private static final Instant NOW = Instant.now();

    private static DynamoDbClient dynamo;
    private static String table;
    private static DynamoReplayGuard guard;

    @BeforeAll
    static void createTable() {
        dynamo = AwsEmulator.dynamo();
        table = AwsEmulator.newTable(dynamo);
        guard = new DynamoReplayGuard(dynamo, table, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterAll
    static void close() {
        dynamo.close();
    }

    @Test
    @DisplayName("the first use wins, a second one with the same kid and jti does not")
    void firstUseOnly() {
        String kid = UUID.randomUUID().toString();

        assertThat(guard.firstUse(kid, "jti-1", NOW.plusSeconds(300))).isTrue();
        assertThat(guard.firstUse(kid, "jti-1", NOW.plusSeconds(300))).isFalse();
        assertThat(guard.firstUse(kid, "jti-2", NOW.plusSeconds(300))).isTrue();
        assertThat(guard.firstUse(UUID.randomUUID().toString(), "jti-1", NOW.plusSeconds(300)))
                .as("a jti is unique per key only").isTrue();
    }

    @Test
    @DisplayName("writes a replay record under jti#, typed, with a digest of the jti and the TTL attribute")
    void recordShape() {
        String kid = UUID.randomUUID().toString();
        String jti = "a jti the client chose, of any length: " + "x".repeat(4000);

        guard.firstUse(kid, jti, Instant.ofEpochSecond(1_900_000_000L));

        List<Map<String, AttributeValue>> items = dynamo.scan(r -> r.tableName(table)).items().stream()
                .filter(item -> item.get(TableSchema.PARTITION_KEY).s().startsWith("jti#" + kid + "#")).toList();
        assertThat(items).hasSize(1);
        Map<String, AttributeValue> item = items.get(0);
        assertThat(item.get(TableSchema.PARTITION_KEY).s()).hasSizeLessThan(100).doesNotContain("x");
        assertThat(item.get(TableSchema.TYPE).s()).isEqualTo(TableSchema.TYPE_USED_ASSERTION);
        assertThat(item.get(TableSchema.TTL_ATTRIBUTE).n()).isEqualTo("1900000000");
    }

    @Test
    @DisplayName("a record past its time counts as gone, though TTL has not deleted it yet")
    void expiredRecordCountsAsAbsent() {
        String kid = UUID.randomUUID().toString();
        DynamoReplayGuard earlier = new DynamoReplayGuard(dynamo, table,
                Clock.fixed(NOW.minusSeconds(3600), ZoneOffset.UTC));

        assertThat(earlier.firstUse(kid, "reused", NOW.minusSeconds(1))).isTrue();
        assertThat(guard.firstUse(kid, "reused", NOW.plusSeconds(300))).isTrue();
        assertThat(guard.firstUse(kid, "reused", NOW.plusSeconds(300))).isFalse();
    }

    @Test
    @DisplayName("of twenty concurrent first uses, exactly one wins")
    void concurrentUses() throws Exception {
        String kid = UUID.randomUUID().toString();
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Callable<Boolean> use = () -> {
                    start.await();
                    return guard.firstUse(kid, "contested", NOW.plusSeconds(300));
                };
                results.add(pool.submit(use));
            }
            start.countDown();
            int wins = 0;
            for (Future<Boolean> result : results) {
                wins += result.get() ? 1 : 0;
            }
            assertThat(wins).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("the record carries the nonce of the request that wrote it; the same nonce again counts as that use")
    void nonceInTheRecord() {
        String kid = UUID.randomUUID().toString();
        String nonce = ReplayGuard.newNonce();

        assertThat(guard.firstUse(kid, "jti-nonce", nonce, NOW.plusSeconds(300))).isTrue();
        assertThat(guard.firstUse(kid, "jti-nonce", nonce, NOW.plusSeconds(300))).as("our own retry").isTrue();
        assertThat(guard.firstUse(kid, "jti-nonce", ReplayGuard.newNonce(), NOW.plusSeconds(300))).isFalse();

        Map<String, AttributeValue> item = dynamo.scan(r -> r.tableName(table)).items().stream()
                .filter(i -> i.get(TableSchema.PARTITION_KEY).s().startsWith("jti#" + kid + "#"))
                .findFirst().orElseThrow();
        assertThat(item.get(TableSchema.USE_NONCE).s()).isEqualTo(nonce);
    }

    @Test
    @DisplayName("releasing a use nobody recorded changes nothing")
    void releaseOfNothing() {
        assertThat(guard.release(UUID.randomUUID().toString(), "never-used", ReplayGuard.newNonce())).isFalse();
    }
}
