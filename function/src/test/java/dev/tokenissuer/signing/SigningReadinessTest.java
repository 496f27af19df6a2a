package dev.tokenissuer.signing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;
import dev.tokenissuer.testing.LocalSigningKeys;
import dev.tokenissuer.testing.MutableClock;
import dev.tokenissuer.testing.RecordingSigningKeysLog;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** What GET /health reports: from memory, with at most one table read and one KMS probe per refresh interval. */
class SigningReadinessTest {

    private static final Duration INTERVAL = Duration.ofSeconds(60);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T22:00:00Z"));
    private final RecordingSigningKeysLog log = new RecordingSigningKeysLog();
    private final KmsAnswers answers = new KmsAnswers(clock);
    private final AtomicInteger loads = new AtomicInteger();
    private final AtomicInteger signatures = new AtomicInteger();
    private volatile boolean tableDown;
    private volatile boolean kmsDown;

    /** A stand-in for KMS: counts signatures, fails while told to; reports to {@link #answers} as KMS's signers do. */
    private final JWSSigner kms = new JWSSigner() {
        private final JWSSigner local = LocalSigningKeys.ec().signingKey().signer();

        @Override
        public Base64URL sign(JWSHeader header, byte[] input) throws JOSEException {
            signatures.incrementAndGet();
            if (kmsDown) {
                throw SdkClientException.create("KMS timed out");
            }
            return local.sign(header, input);
        }

        @Override
        public Set<com.nimbusds.jose.JWSAlgorithm> supportedJWSAlgorithms() {
            return local.supportedJWSAlgorithms();
        }

        @Override
        public JCAContext getJCAContext() {
            return local.getJCAContext();
        }
    };

    private final PublishedKey key = LocalSigningKeys.newEcKey("mrk-1");
    private final KeySetSource source = () -> {
        loads.incrementAndGet();
        if (tableDown) {
            throw SdkClientException.create("DynamoDB timed out");
        }
        SigningKey signing = key.signingKey();
        return new KeySet(new SigningKey(signing.keyId(), signing.algorithm(), signing.kid(), answers.recording(kms)),
                List.of(key.publicJwk()));
    };
    private final RefreshingSigningKeys keys =
            new RefreshingSigningKeys(source, INTERVAL, clock, log, Optional.of(answers));

    @Test
    @DisplayName("is unavailable while the signing keys cannot be loaded, and says so")
    void unavailableBeforeTheKeysLoad() {
        tableDown = true;
        SigningReadiness readiness = keys.readiness();
        assertThat(readiness.ready()).isFalse();
        assertThat(readiness.problem()).hasValueSatisfying(problem -> assertThat(problem).contains("not loaded"));
    }

    @Test
    @DisplayName("answers a check a second from memory: one table read per refresh interval, not one per check")
    void checksCostNoAwsCall() {
        for (int check = 0; check <= 120; check++) {
            assertThat(keys.readiness().ready()).isTrue();
            clock.advance(Duration.ofMillis(500));
        }
        assertThat(loads.get()).as("121 checks over 60 s: the first load, then one refresh").isEqualTo(2);
        assertThat(signatures.get()).as("one KMS probe at the refresh (nothing was signed before)").isEqualTo(1);
    }

    @Test
    @DisplayName("turns unavailable once the table has not answered for the refresh interval plus 30 s")
    void unavailableWhenTheTableIsSilent() {
        assertThat(keys.readiness().ready()).isTrue();
        tableDown = true;
        clock.advance(INTERVAL.plusSeconds(29));
        assertThat(keys.readiness().ready()).as("a failed refresh within the allowance").isTrue();
        clock.advance(Duration.ofSeconds(2));
        SigningReadiness readiness = keys.readiness();
        assertThat(readiness.ready()).isFalse();
        assertThat(readiness.problem()).hasValueSatisfying(p -> assertThat(p).contains("the table has not answered"));
        tableDown = false;
        clock.advance(Duration.ofSeconds(6));
        assertThat(keys.readiness().ready()).as("the next refresh succeeds").isTrue();
    }

    @Test
    @DisplayName("turns unavailable when KMS's last answer was a failure, and healthy at its next signature")
    void unavailableWhileKmsFails() throws JOSEException {
        SigningKey signing = keys.signingKey();
        kmsDown = true;
        try {
            signing.signer().sign(new JWSHeader(signing.algorithm()), new byte[] {1});
        } catch (SdkClientException expected) {
            // a token request's failure
        }
        SigningReadiness readiness = keys.readiness();
        assertThat(readiness.ready()).isFalse();
        assertThat(readiness.problem()).hasValueSatisfying(p -> assertThat(p).contains("KMS"));
        kmsDown = false;
        signing.signer().sign(new JWSHeader(signing.algorithm()), new byte[] {2});
        assertThat(keys.readiness().ready()).isTrue();
    }

    @Test
    @DisplayName("in a quiet region, finds KMS down by its probe at the next refresh")
    void probeFindsKmsDown() {
        assertThat(keys.readiness().ready()).isTrue();
        kmsDown = true;
        clock.advance(INTERVAL);
        assertThat(keys.readiness().ready()).isFalse();
        assertThat(signatures.get()).isEqualTo(1);
    }

    @Test
    @DisplayName("does not probe KMS in a region that signed tokens within the interval")
    void noProbeWhenTokensWereSigned() throws JOSEException {
        keys.readiness();
        clock.advance(INTERVAL.minusSeconds(10));
        SigningKey signing = keys.signingKey();
        signing.signer().sign(new JWSHeader(signing.algorithm()), new byte[] {1});
        clock.advance(Duration.ofSeconds(10));
        keys.readiness();
        assertThat(signatures.get()).as("the token's signature only").isEqualTo(1);
    }
}
