package dev.tokenissuer.signing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * When KMS last signed, and when a signature last failed: what the health check knows of KMS without calling it.
 * Every signer the KMS loader makes reports here ({@link #recording}).
 */
public final class KmsAnswers {

    private final Clock clock;
    private volatile Instant lastSignature;
    private volatile Instant lastFailure;

    public KmsAnswers(Clock clock) {
        this.clock = clock;
    }

    public Optional<Instant> lastSignature() {
        return Optional.ofNullable(lastSignature);
    }

    /** A failure newer than the last signature: KMS's latest answer was not a signature. */
    public Optional<Instant> failingSince() {
        Instant failed = lastFailure;
        Instant signed = lastSignature;
        return failed != null && (signed == null || failed.isAfter(signed)) ? Optional.of(failed) : Optional.empty();
    }

    /** {@code signer}, reporting each outcome here. */
    public JWSSigner recording(JWSSigner signer) {
        return new JWSSigner() {
            @Override
            public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
                try {
                    Base64URL signature = signer.sign(header, signingInput);
                    lastSignature = clock.instant();
                    return signature;
                } catch (JOSEException | RuntimeException e) {
                    lastFailure = clock.instant();
                    throw e;
                }
            }

            @Override
            public Set<com.nimbusds.jose.JWSAlgorithm> supportedJWSAlgorithms() {
                return signer.supportedJWSAlgorithms();
            }

            @Override
            public JCAContext getJCAContext() {
                return signer.getJCAContext();
            }
        };
    }
}
