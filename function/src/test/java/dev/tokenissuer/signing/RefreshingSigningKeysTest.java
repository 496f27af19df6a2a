package dev.tokenissuer.signing;

import dev.tokenissuer.testing.LocalSigningKeys;
import dev.tokenissuer.testing.MutableClock;
import dev.tokenissuer.testing.RecordingSigningKeysLog;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RefreshingSigningKeysTest {

    private static final Duration INTERVAL = Duration.ofSeconds(60);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T02:30:00Z"));
    private final PublishedKey firstKey = LocalSigningKeys.newEcKey("first");
    private final PublishedKey secondKey = LocalSigningKeys.newEcKey("second");
    private final SigningKey first = firstKey.signingKey();
    private final SigningKey second = secondKey.signingKey();
    private final RecordingSigningKeysLog log = new RecordingSigningKeysLog();

    /** A source that answers with whatever the test put in, counting loads, or fails while told to. */
    private static final class ScriptedSource implements KeySetSource {
        volatile KeySet next;
        volatile RuntimeException failure;
        final AtomicInteger loads = new AtomicInteger();

        ScriptedSource(KeySet next) {
            this.next = next;
        }

        @Override
        public KeySet load() {
            loads.incrementAndGet();
            if (failure != null) {
                throw failure;
            }
            return next;
        }
    }

    private final ScriptedSource source = new ScriptedSource(signedBy(firstKey));

    /** Keys over {@link #source} that have had their first load. */
    private RefreshingSigningKeys loaded(Duration interval) {
        RefreshingSigningKeys keys = new RefreshingSigningKeys(source, interval, clock, log);
        keys.signingKey();
        return keys;
    }

    private static KeySet signedBy(PublishedKey signer, PublishedKey... alsoPublished) {
        List<com.nimbusds.jose.jwk.JWK> published = new ArrayList<>(List.of(signer.publicJwk()));
        for (PublishedKey key : alsoPublished) {
            published.add(key.publicJwk());
        }
        return new KeySet(signer.signingKey(), published);
    }

    @Test
    @DisplayName("loads on first use, not before, and then not again within the interval")
    void loadsOnceWithinTheInterval() {
        RefreshingSigningKeys keys = new RefreshingSigningKeys(source, INTERVAL, clock, log);
        assertThat(source.loads).hasValue(0);

        for (int i = 0; i < 100; i++) {
            assertThat(keys.signingKey()).isSameAs(first);
            keys.verificationKeys();
            clock.advance(Duration.ofMillis(500));
        }

        assertThat(source.loads).as("50 s of requests").hasValue(1);
        assertThat(log.changes()).hasSize(1);
    }

    @Test
    @DisplayName("picks up a rotation at the first use after the interval, and publishes both keys")
    void picksUpARotationAfterTheInterval() {
        RefreshingSigningKeys keys = loaded(INTERVAL);

        source.next = signedBy(secondKey, firstKey);
        clock.advance(INTERVAL.minusSeconds(1));
        assertThat(keys.signingKey()).as("within the interval").isSameAs(first);
        clock.advance(Duration.ofSeconds(1));
        assertThat(keys.signingKey()).as("once the interval is over").isSameAs(second);

        assertThat(keys.verificationKeys()).containsExactly(secondKey.publicJwk(), firstKey.publicJwk());
        assertThat(source.loads).hasValue(2);
        assertThat(log.changes()).hasSize(2);
    }

    @Test
    @DisplayName("a refresh that finds nothing new logs nothing")
    void unchangedRefreshLogsNothing() {
        RefreshingSigningKeys keys = loaded(INTERVAL);

        source.next = signedBy(firstKey);
        clock.advance(INTERVAL);
        keys.signingKey();

        assertThat(source.loads).hasValue(2);
        assertThat(log.changes()).hasSize(1);
    }

    @Test
    @DisplayName("a failed refresh is logged and the cached keys keep serving; it is retried after a short delay")
    void failedRefreshKeepsTheCachedSet() {
        RefreshingSigningKeys keys = loaded(INTERVAL);

        source.failure = SdkClientException.create("connect timed out");
        clock.advance(INTERVAL);
        assertThat(keys.signingKey()).isSameAs(first);
        assertThat(keys.verificationKeys()).containsExactly(firstKey.publicJwk());
        assertThat(log.refreshFailures()).hasSize(1);

        clock.advance(RefreshingSigningKeys.RETRY_AFTER_FAILURE.minusMillis(1));
        keys.signingKey();
        assertThat(source.loads).as("no retry on every request").hasValue(2);

        source.failure = null;
        source.next = signedBy(secondKey, firstKey);
        clock.advance(Duration.ofMillis(1));
        assertThat(keys.signingKey()).isSameAs(second);
        assertThat(source.loads).hasValue(3);
    }

    @Test
    @DisplayName("a failed first load fails the request, and the next request tries again")
    void failedFirstLoadIsRetriedByTheNextRequest() {
        source.failure = SdkClientException.create("connect timed out");
        RefreshingSigningKeys keys = new RefreshingSigningKeys(source, INTERVAL, clock, log);

        assertThatThrownBy(keys::signingKey).isInstanceOf(SdkClientException.class);
        assertThatThrownBy(keys::verificationKeys).isInstanceOf(SdkClientException.class);
        source.failure = null;

        assertThat(keys.signingKey()).isSameAs(first);
        assertThat(source.loads).hasValue(3);
    }

    @Test
    @DisplayName("a short interval also bounds the retry delay")
    void shortIntervalBoundsTheRetry() {
        RefreshingSigningKeys keys = loaded(Duration.ofSeconds(1));
        source.failure = new IllegalStateException("broken");

        clock.advance(Duration.ofSeconds(1));
        keys.signingKey();
        clock.advance(Duration.ofSeconds(1));
        keys.signingKey();

        assertThat(source.loads).hasValue(3);
    }

    @Test
    @DisplayName("while one request refreshes, the others go on with the keys in hand instead of waiting or loading")
    void oneRefreshAtATime() throws Exception {
        CountDownLatch refreshStarted = new CountDownLatch(1);
        CountDownLatch releaseRefresh = new CountDownLatch(1);
        AtomicInteger loads = new AtomicInteger();
        KeySetSource slow = () -> {
            if (loads.incrementAndGet() == 2) {
                refreshStarted.countDown();
                try {
                    releaseRefresh.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return signedBy(secondKey, firstKey);
            }
            return signedBy(firstKey);
        };
        RefreshingSigningKeys keys = new RefreshingSigningKeys(slow, INTERVAL, clock, log);
        keys.signingKey();
        clock.advance(INTERVAL);

        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Future<SigningKey> refreshing = pool.submit(keys::signingKey);
            assertThat(refreshStarted.await(10, TimeUnit.SECONDS)).isTrue();
            List<Future<SigningKey>> others = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                others.add(pool.submit(keys::signingKey));
            }
            for (Future<SigningKey> other : others) {
                assertThat(other.get(5, TimeUnit.SECONDS)).isSameAs(first);
            }
            releaseRefresh.countDown();
            assertThat(refreshing.get(5, TimeUnit.SECONDS)).isSameAs(second);
        } finally {
            releaseRefresh.countDown();
            pool.shutdownNow();
        }
        assertThat(loads).hasValue(2);
    }

    /** A first load that takes a while, counting loads; it waits for every caller to be on its way first. */
    private static KeySetSource slowFirstLoad(AtomicInteger loads, CountDownLatch callersStarted,
                                              java.util.function.Supplier<KeySet> outcome) {
        return () -> {
            loads.incrementAndGet();
            try {
                callersStarted.await(10, TimeUnit.SECONDS);
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return outcome.get();
        };
    }

    private static List<Future<SigningKey>> eightConcurrentCallers(RefreshingSigningKeys keys,
                                                                    CountDownLatch callersStarted,
                                                                    ExecutorService pool) {
        List<Future<SigningKey>> callers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            callers.add(pool.submit(() -> {
                callersStarted.countDown();
                return keys.signingKey();
            }));
        }
        return callers;
    }

    @Test
    @DisplayName("eight requests before the first load share one load")
    void concurrentFirstRequestsShareOneLoad() throws Exception {
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch callersStarted = new CountDownLatch(8);
        RefreshingSigningKeys keys = new RefreshingSigningKeys(
                slowFirstLoad(loads, callersStarted, () -> signedBy(firstKey)), INTERVAL, clock, log);

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (Future<SigningKey> caller : eightConcurrentCallers(keys, callersStarted, pool)) {
                assertThat(caller.get(10, TimeUnit.SECONDS)).isSameAs(first);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(loads).hasValue(1);
    }

    @Test
    @DisplayName("eight requests before a failing first load share its failure instead of each repeating the load")
    void concurrentFirstRequestsShareOneFailure() throws Exception {
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch callersStarted = new CountDownLatch(8);
        RefreshingSigningKeys keys = new RefreshingSigningKeys(slowFirstLoad(loads, callersStarted, () -> {
            throw SdkClientException.create("connect timed out");
        }), INTERVAL, clock, log);

        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (Future<SigningKey> caller : eightConcurrentCallers(keys, callersStarted, pool)) {
                assertThatThrownBy(() -> caller.get(10, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(SdkClientException.class);
            }
        } finally {
            pool.shutdownNow();
        }
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(loads).hasValue(1);
        assertThat(millis).as("one slow load, not eight in a row").isLessThan(2_000);
        assertThatThrownBy(keys::signingKey).as("the next request tries again").isInstanceOf(SdkClientException.class);
        assertThat(loads).hasValue(2);
    }
}
