package dev.tokenissuer.store;

import dev.tokenissuer.aws.AwsClients;
import dev.tokenissuer.testing.AwsEmulator;
import dev.tokenissuer.testing.FaultProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replay guard when DynamoDB misbehaves, with the SDK client configured as the function configures it (a 3 s call
 * budget, 1.5 s per attempt, the SDK's retries), through a fault-injecting proxy in front of the emulator.
 */
class DynamoReplayGuardFaultsIT {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(3);

    private static FaultProxy proxy;
    private static DynamoDbClient dynamo;
    private static String table;
    private static DynamoReplayGuard guard;

    @BeforeAll
    static void start() {
        try (DynamoDbClient direct = AwsEmulator.dynamo()) {
            table = AwsEmulator.newTable(direct);
        }
        proxy = FaultProxy.inFrontOfEmulator();
        dynamo = AwsClients.dynamo(AwsClients.httpClient(CALL_TIMEOUT), CALL_TIMEOUT,
                Optional.of(proxy.endpoint()));
        guard = new DynamoReplayGuard(dynamo, table, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        dynamo.close();
        proxy.close();
    }

    @BeforeEach
    void noFaults() {
        proxy.clear();
    }

    private static Instant inFiveMinutes() {
        return Instant.now().plusSeconds(300);
    }

    @Test
    @DisplayName("a first use whose record write answers after the attempt timeout is retried by the SDK and still"
            + " counts as the first use")
    void slowWriteRetried() {
        String kid = UUID.randomUUID().toString();
        proxy.delayAfterForwarding(FaultProxy.PUT_ITEM, Duration.ofSeconds(2), 1);

        boolean first = guard.firstUse(kid, "jti-slow", inFiveMinutes());

        assertThat(proxy.calls(FaultProxy.PUT_ITEM)).as("the SDK retried: %s", proxy.log()).isEqualTo(2);
        assertThat(first).isTrue();
    }

    @Test
    @DisplayName("a first use whose connection is reset after the write is retried by the SDK and still counts")
    void resetAfterWriteRetried() {
        String kid = UUID.randomUUID().toString();
        proxy.reset(FaultProxy.PUT_ITEM, true, 1);

        boolean first = guard.firstUse(kid, "jti-reset", inFiveMinutes());

        assertThat(proxy.log()).first().asString().startsWith(FaultProxy.PUT_ITEM + " reset after forwarding");
        assertThat(proxy.calls(FaultProxy.PUT_ITEM)).isEqualTo(2);
        assertThat(first).isTrue();
    }

    @Test
    @DisplayName("a throttled record write is retried and counts; either DynamoDB throttling error is retried")
    void throttledWriteRetried() {
        proxy.throttle(FaultProxy.PUT_ITEM, 1);
        proxy.throttle(FaultProxy.PUT_ITEM, "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
                1);

        boolean first = guard.firstUse(UUID.randomUUID().toString(), "jti-throttled", inFiveMinutes());

        assertThat(proxy.log()).containsExactly(FaultProxy.PUT_ITEM + " throttle", FaultProxy.PUT_ITEM + " throttle",
                FaultProxy.PUT_ITEM + " forwarded (200)");
        assertThat(first).isTrue();
    }

    @Test
    @DisplayName("after a retried first use, another request with the same assertion is still refused")
    void replayAfterRetriedFirstUse() {
        String kid = UUID.randomUUID().toString();
        proxy.delayAfterForwarding(FaultProxy.PUT_ITEM, Duration.ofSeconds(2), 1);
        assertThat(guard.firstUse(kid, "jti-replayed", ReplayGuard.newNonce(), inFiveMinutes())).isTrue();

        assertThat(guard.firstUse(kid, "jti-replayed", ReplayGuard.newNonce(), inFiveMinutes())).isFalse();
    }

    @Test
    @DisplayName("a released use leaves the assertion usable; a release with another request's nonce changes nothing")
    void releaseOnlyOurOwn() {
        String kid = UUID.randomUUID().toString();
        String ours = ReplayGuard.newNonce();
        assertThat(guard.firstUse(kid, "jti-released", ours, inFiveMinutes())).isTrue();

        assertThat(guard.release(kid, "jti-released", ReplayGuard.newNonce())).isFalse();
        assertThat(guard.firstUse(kid, "jti-released", ReplayGuard.newNonce(), inFiveMinutes()))
                .as("still held after a foreign release").isFalse();
        assertThat(guard.release(kid, "jti-released", ours)).isTrue();
        assertThat(guard.release(kid, "jti-released", ours)).as("released once").isFalse();
        assertThat(guard.firstUse(kid, "jti-released", ReplayGuard.newNonce(), inFiveMinutes()))
                .as("the client's retry is a first use again").isTrue();
    }

    @Test
    @DisplayName("a release whose response comes too late is retried by the SDK and the assertion is usable again")
    void slowReleaseRetried() {
        String kid = UUID.randomUUID().toString();
        String ours = ReplayGuard.newNonce();
        assertThat(guard.firstUse(kid, "jti-slow-release", ours, inFiveMinutes())).isTrue();
        proxy.delayAfterForwarding(FaultProxy.DELETE_ITEM, Duration.ofSeconds(2), 1);

        guard.release(kid, "jti-slow-release", ours);

        assertThat(proxy.calls(FaultProxy.DELETE_ITEM)).isEqualTo(2);
        assertThat(guard.firstUse(kid, "jti-slow-release", ReplayGuard.newNonce(), inFiveMinutes())).isTrue();
    }
}
