package dev.tokenissuer.store;

import dev.tokenissuer.testing.AwsEmulator;
import dev.tokenissuer.testing.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** The budget of legacy checks and the hash's replacement, against the table in the emulator. */
class DynamoLegacySecretsIT {

    private static DynamoDbClient dynamo;
    private static String table;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T12:00:00Z"));
    private final DynamoLegacySecrets secrets =
            new DynamoLegacySecrets(dynamo, table, new LegacyCheckBudget(3, Duration.ofMinutes(15)), clock);

    @BeforeAll
    static void createTable() {
        dynamo = AwsEmulator.dynamo();
        table = AwsEmulator.newTable(dynamo);
    }

    @AfterAll
    static void close() {
        dynamo.close();
    }

    @Test
    @DisplayName("allows the budget's checks in a window, refuses the next, and allows again once the window is over")
    void budgetPerWindow() {
        String clientId = UUID.randomUUID().toString();

        assertThat(secrets.takeCheck(clientId)).isTrue();
        clock.advance(Duration.ofMinutes(5));
        assertThat(secrets.takeCheck(clientId)).isTrue();
        assertThat(secrets.takeCheck(clientId)).isTrue();
        assertThat(secrets.takeCheck(clientId)).isFalse();
        clock.advance(Duration.ofMinutes(9));
        assertThat(secrets.takeCheck(clientId)).as("the window runs from its first check").isFalse();
        clock.advance(Duration.ofMinutes(1));
        assertThat(secrets.takeCheck(clientId)).isTrue();
        assertThat(secrets.takeCheck(UUID.randomUUID().toString())).as("budgets are per client id").isTrue();
    }

    @Test
    @DisplayName("concurrent requests cannot take more checks than the budget between them")
    void concurrentChecks() throws Exception {
        String clientId = UUID.randomUUID().toString();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> takers = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                takers.add(() -> secrets.takeCheck(clientId));
            }
            long allowed = 0;
            for (Future<Boolean> taken : pool.invokeAll(takers)) {
                allowed += taken.get() ? 1 : 0;
            }
            assertThat(allowed).isEqualTo(3);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("replaces the legacy hash once; a second replacement of the same hash loses, and the first stays")
    void replacesOnce() {
        String clientId = UUID.randomUUID().toString();
        String legacy = "$2a$14$C2SZ7gvvD.jXb5DKbu0UmuW.IkM.Nx6LrQXNstbtIJO32RTggUrHC";
        dynamo.putItem(request -> request.tableName(table).item(new ClientSecretItem(clientId, "su-1", "org-1",
                ServiceUserState.ENABLED, legacy, "imported", "2026-01-01T00:00:00Z").toItem()));
        String first = SecretHasher.hash("s");

        assertThat(secrets.replace(clientId, legacy, first)).isTrue();
        assertThat(secrets.replace(clientId, legacy, SecretHasher.hash("s"))).isFalse();
        ClientSecretItem stored = ClientSecretItem.fromItem(dynamo.getItem(request -> request.tableName(table)
                .key(ClientSecretItem.key(clientId)).consistentRead(true)).item()).orElseThrow();
        assertThat(stored.secretHash()).isEqualTo(first);
        assertThat(stored.title()).isEqualTo("imported");
    }

    @Test
    @DisplayName("does not bring a deleted secret back")
    void deletedSecret() {
        assertThat(secrets.replace(UUID.randomUUID().toString(), "$2a$14$x", SecretHasher.hash("s"))).isFalse();
    }
}
