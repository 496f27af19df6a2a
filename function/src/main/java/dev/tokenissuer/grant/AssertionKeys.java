package dev.tokenissuer.grant;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;

import java.math.BigInteger;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which keys may sign assertions, and with which algorithms: RS256 or PS256 with a sane RSA key (see
 * {@link #whyUnfit}), ES256 with a P-256 key. {@code tokenctl} registers only such keys; the grant checks again at
 * every use.
 */
public final class AssertionKeys {

    /** Every algorithm an assertion may name. Never {@code none}, never HMAC: the server holds no shared secret. */
    public static final Set<String> ALGORITHMS = Set.of(
            JWSAlgorithm.RS256.getName(), JWSAlgorithm.PS256.getName(), JWSAlgorithm.ES256.getName());

    public static final int MIN_RSA_BITS = 2048;
    /** Larger keys buy nothing here and make each forged assertion naming the kid cost us more CPU to refuse. */
    public static final int MAX_RSA_BITS = 4096;
    /** Every mainstream generator uses it; a large exponent is another way to make verification expensive. */
    public static final BigInteger RSA_EXPONENT = BigInteger.valueOf(65_537);
    /** Trial division by the primes below this bound catches broken or malicious moduli for well under a ms. */
    static final int SMALL_PRIME_BOUND = 10_000;
    private static final int[] SMALL_PRIMES = oddPrimesBelow(SMALL_PRIME_BOUND);
    private static final long[] SMALL_PRIME_PRODUCTS = smallPrimeProducts();
    /**
     * Moduli that passed trial division, the one rule that costs (about a millisecond for 4096 bits): the grant
     * checks a key at every use, and a container sees few keys. Bounded, so that many keys cannot grow it.
     */
    private static final Set<BigInteger> WITHOUT_SMALL_FACTORS = ConcurrentHashMap.newKeySet();
    private static final int REMEMBERED_MODULI = 1024;

    private AssertionKeys() {
    }

    /** The algorithms {@code key} may sign with; empty when the key is not fit to sign assertions at all. */
    public static Set<JWSAlgorithm> algorithmsFor(JWK key) {
        if (whyUnfit(key).isPresent()) {
            return Set.of();
        }
        if (key instanceof RSAKey) {
            return Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256);
        }
        if (key instanceof ECKey ec && Curve.P_256.equals(ec.getCurve())) {
            return Set.of(JWSAlgorithm.ES256);
        }
        return Set.of();
    }

    /**
     * Why {@code key} may not sign assertions, in words for the operator registering it; empty when it may. RSA: 2048
     * to 4096 bits, an odd modulus with no prime factor below {@value #SMALL_PRIME_BOUND}, exponent 65537. EC:
     * P-256 (Nimbus refuses to build an EC key whose point is not on its curve).
     */
    public static Optional<String> whyUnfit(JWK key) {
        if (key instanceof RSAKey rsa) {
            BigInteger modulus = rsa.getModulus().decodeToBigInteger();
            BigInteger exponent = rsa.getPublicExponent().decodeToBigInteger();
            int bits = modulus.bitLength();
            if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
                return Optional.of("the RSA key has " + bits + " bits; use " + MIN_RSA_BITS + " to " + MAX_RSA_BITS);
            }
            if (!exponent.equals(RSA_EXPONENT)) {
                return Optional.of("the RSA public exponent must be 65537, not "
                        + (exponent.bitLength() > 32 ? "a " + exponent.bitLength() + "-bit number" : exponent));
            }
            if (!modulus.testBit(0)) {
                return Optional.of("the RSA modulus is even: that is not an RSA key");
            }
            if (WITHOUT_SMALL_FACTORS.contains(modulus)) {
                return Optional.empty();
            }
            Optional<Integer> factor = smallFactor(modulus);
            if (factor.isPresent()) {
                return Optional.of("the RSA modulus is divisible by " + factor.get() + ": that is not an RSA key");
            }
            if (WITHOUT_SMALL_FACTORS.size() >= REMEMBERED_MODULI) {
                WITHOUT_SMALL_FACTORS.clear();
            }
            WITHOUT_SMALL_FACTORS.add(modulus);
            return Optional.empty();
        }
        if (key instanceof ECKey ec) {
            return Curve.P_256.equals(ec.getCurve()) ? Optional.empty()
                    : Optional.of("the EC key is on " + ec.getCurve() + "; use P-256");
        }
        return Optional.of("the key must be RSA or EC P-256, not " + key.getKeyType());
    }

    /** An odd prime below the bound dividing {@code modulus}: one division per group of primes a long holds. */
    private static Optional<Integer> smallFactor(BigInteger modulus) {
        int next = 0;
        for (long product : SMALL_PRIME_PRODUCTS) {
            long remainder = modulus.mod(BigInteger.valueOf(product)).longValue();
            for (long left = product; left > 1; left /= SMALL_PRIMES[next++]) {
                if (remainder % SMALL_PRIMES[next] == 0) {
                    return Optional.of(SMALL_PRIMES[next]);
                }
            }
        }
        return Optional.empty();
    }

    private static int[] oddPrimesBelow(int bound) {
        boolean[] composite = new boolean[bound];
        java.util.stream.IntStream.Builder primes = java.util.stream.IntStream.builder();
        for (int n = 3; n < bound; n += 2) {
            if (!composite[n]) {
                primes.add(n);
                for (int multiple = n * n; multiple < bound; multiple += 2 * n) {
                    composite[multiple] = true;
                }
            }
        }
        return primes.build().toArray();
    }

    /** Consecutive {@link #SMALL_PRIMES} multiplied together, as many to a product as fit a long. */
    private static long[] smallPrimeProducts() {
        java.util.stream.LongStream.Builder products = java.util.stream.LongStream.builder();
        long product = 1;
        for (int prime : SMALL_PRIMES) {
            if (product > Long.MAX_VALUE / prime) {
                products.add(product);
                product = 1;
            }
            product *= prime;
        }
        return products.add(product).build().toArray();
    }

    /**
     * Whether {@code jwt}'s signature verifies with {@code key}, and the algorithm it names fits the key. A key unfit
     * to sign (see {@link #whyUnfit}) verifies nothing.
     */
    static boolean verifies(SignedJWT jwt, JWK key) {
        if (!algorithmsFor(key).contains(jwt.getHeader().getAlgorithm())) {
            return false;
        }
        Optional<JWSVerifier> verifier = verifierFor(key);
        try {
            return verifier.isPresent() && jwt.verify(verifier.get());
        } catch (JOSEException e) {
            return false;
        }
    }

    /** A verifier over the public half of {@code key}, if the key is fit to sign assertions. */
    static Optional<JWSVerifier> verifierFor(JWK key) {
        try {
            if (algorithmsFor(key).isEmpty()) {
                return Optional.empty();
            }
            if (key instanceof RSAKey rsa) {
                return Optional.of(new RSASSAVerifier(rsa.toRSAPublicKey()));
            }
            return Optional.of(new ECDSAVerifier(((ECKey) key).toECPublicKey()));
        } catch (JOSEException e) {
            return Optional.empty();
        }
    }
}
