package dev.tokenissuer.signing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The signing keys, loaded on first use and loaded again at most once per refresh interval, so a running function
 * picks up a rotation within that interval without a restart, and a token still costs no more than its one KMS
 * {@code Sign} between refreshes.
 *
 * <p>The first load has nothing to fall back on: its failure is the request's failure, and the next request tries
 * again. After that, a failed refresh is logged and the function carries on with the set it has (a key set does not
 * go bad because KMS or DynamoDB hiccuped); it tries again after {@link #RETRY_AFTER_FAILURE}, or sooner if the
 * interval is shorter. One request at a time refreshes; the others meanwhile use the set in hand. Requests that
 * arrive before the first load has succeeded share the one load in flight, and its outcome, failure included: they do
 * not queue to repeat it one after another.
 *
 * <p>Its {@link #readiness()} is what the health check reports, from memory: keys loaded, the table's last answer to
 * a refresh no older than the interval plus {@link #TABLE_SILENCE_ALLOWED}, and KMS's last answer a signature. With
 * {@link KmsAnswers}, a refresh also has KMS sign a probe when no token was signed since the last one, so that a
 * quiet region's health still says whether KMS answers: one Sign per interval at most, never one per check.
 */
public final class RefreshingSigningKeys implements SigningKeys {

    static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(5);
    /** How much longer than one refresh interval the table may go unanswered before the function calls itself unready. */
    static final Duration TABLE_SILENCE_ALLOWED = Duration.ofSeconds(30);
    private static final byte[] PROBE = "token-issuer readiness probe".getBytes(StandardCharsets.US_ASCII);

    private final KeySetSource source;
    private final Duration interval;
    private final Clock clock;
    private final SigningKeysLog log;
    private final ReentrantLock loading = new ReentrantLock();
    private final AtomicReference<CompletableFuture<KeySet>> firstLoad = new AtomicReference<>();
    private volatile KeySet current;
    private volatile Instant nextRefresh = Instant.MIN;
    private volatile Instant loadedAt;
    private final Optional<KmsAnswers> kmsAnswers;

    public RefreshingSigningKeys(KeySetSource source, Duration interval, Clock clock, SigningKeysLog log) {
        this(source, interval, clock, log, Optional.empty());
    }

    /**
     * @param kmsAnswers where the source's signers report KMS's answers (see {@link KeySetLoader#kms(
     *                   software.amazon.awssdk.services.kms.KmsClient, String,
     *                   dev.tokenissuer.store.VerificationSetStore, SigningKeysLog, KmsAnswers)}); with it, refreshes
     *                   probe KMS when nothing was signed since the last
     */
    public RefreshingSigningKeys(KeySetSource source, Duration interval, Clock clock, SigningKeysLog log,
                                 Optional<KmsAnswers> kmsAnswers) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the refresh interval must be positive");
        }
        this.source = source;
        this.interval = interval;
        this.clock = clock;
        this.log = log;
        this.kmsAnswers = kmsAnswers;
    }

    /**
     * Starts the first load on a background thread, so that a new container's first request finds the keys loaded,
     * or joins the load already in flight, instead of adding the load's round trip to its own. A failure is logged
     * and left for that request, which loads again.
     */
    public void preloadAsync() {
        Thread preload = new Thread(() -> {
            try {
                keySet();
            } catch (RuntimeException e) {
                log.refreshFailed(e);
            }
        }, "signing-keys-preload");
        preload.setDaemon(true);
        preload.start();
    }

    @Override
    public SigningKey signingKey() {
        return keySet().signer();
    }

    @Override
    public List<JWK> verificationKeys() {
        return keySet().published();
    }

    @Override
    public SigningReadiness readiness() {
        try {
            keySet();
        } catch (RuntimeException e) {
            // The load's failure is logged by the load; the health check only says it.
        }
        Instant now = clock.instant();
        Optional<Instant> kmsAt = kmsAnswers.flatMap(KmsAnswers::lastSignature);
        Instant tableAt = loadedAt;
        if (current == null || tableAt == null) {
            return SigningReadiness.notReady("the signing keys are not loaded: the table or KMS did not answer",
                    Optional.empty(), kmsAt);
        }
        Duration silence = Duration.between(tableAt, now);
        if (silence.compareTo(interval.plus(TABLE_SILENCE_ALLOWED)) > 0) {
            return SigningReadiness.notReady("the table has not answered a key refresh for "
                    + silence.toSeconds() + " s", Optional.of(tableAt), kmsAt);
        }
        Optional<Instant> failing = kmsAnswers.flatMap(KmsAnswers::failingSince);
        if (failing.isPresent()) {
            return SigningReadiness.notReady("KMS's last answer, at " + failing.get() + ", was not a signature",
                    Optional.of(tableAt), kmsAt);
        }
        return SigningReadiness.ready(tableAt, kmsAt);
    }

    private KeySet keySet() {
        KeySet set = current;
        if (set == null) {
            return firstLoad();
        }
        if (!clock.instant().isBefore(nextRefresh) && loading.tryLock()) {
            try {
                Instant now = clock.instant();
                if (!now.isBefore(nextRefresh)) {
                    refresh(set, now);
                }
            } finally {
                loading.unlock();
            }
        }
        return current;
    }

    private KeySet firstLoad() {
        CompletableFuture<KeySet> mine = new CompletableFuture<>();
        CompletableFuture<KeySet> inFlight = firstLoad.compareAndExchange(null, mine);
        if (inFlight != null) {
            return outcome(inFlight);
        }
        try {
            KeySet set = current;
            if (set == null) {
                // Under the refresh lock only so that no refresh can interleave with the install.
                loading.lock();
                try {
                    install(null, source.load(), clock.instant());
                    set = current;
                } finally {
                    loading.unlock();
                }
            }
            mine.complete(set);
            return set;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            firstLoad.set(null);
        }
    }

    /** The shared load's key set, or its failure rethrown as the leader saw it. */
    private static KeySet outcome(CompletableFuture<KeySet> load) {
        try {
            return load.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    private void refresh(KeySet previous, Instant now) {
        KeySet loaded;
        try {
            loaded = source.load();
        } catch (RuntimeException e) {
            log.refreshFailed(e);
            Duration retry = interval.compareTo(RETRY_AFTER_FAILURE) < 0 ? interval : RETRY_AFTER_FAILURE;
            nextRefresh = now.plus(retry);
            return;
        }
        install(previous, loaded, now);
        probeKms(loaded, now);
    }

    /** Has KMS sign once if nothing was signed since the last refresh: a quiet region's readiness then covers KMS. */
    private void probeKms(KeySet set, Instant now) {
        if (kmsAnswers.isEmpty()) {
            return;
        }
        Optional<Instant> signed = kmsAnswers.get().lastSignature();
        if (signed.isPresent() && signed.get().isAfter(now.minus(interval))) {
            return;
        }
        try {
            set.signer().signer().sign(new JWSHeader(set.signer().algorithm()), PROBE);
        } catch (JOSEException | RuntimeException e) {
            // Recorded as KMS's answer by KmsAnswers; the set itself is fine.
            log.refreshFailed(e);
        }
    }

    private void install(KeySet previous, KeySet loaded, Instant loadedAt) {
        if (previous == null || !previous.signer().kid().equals(loaded.signer().kid())
                || !previous.publishedKids().equals(loaded.publishedKids())) {
            log.keySetChanged(previous, loaded);
        }
        current = loaded;
        this.loadedAt = loadedAt;
        nextRefresh = loadedAt.plus(interval);
    }
}
