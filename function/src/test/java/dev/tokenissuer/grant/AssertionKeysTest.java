package dev.tokenissuer.grant;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Only sane keys sign assertions: the rules tokenctl registers by, and the grant checks again at every use. */
class AssertionKeysTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final BigInteger F4 = BigInteger.valueOf(65_537);

    /** A public JWK with this modulus and exponent: no private key exists for most of these, nor need one. */
    private static RSAKey rsa(BigInteger modulus, BigInteger exponent) {
        return new RSAKey.Builder(Base64URL.encode(modulus), Base64URL.encode(exponent)).build();
    }

    private static BigInteger oddOfBits(int bits) {
        return new BigInteger(bits, RANDOM).setBit(bits - 1).setBit(0);
    }

    static Stream<Arguments> badKeys() throws Exception {
        BigInteger real = new RSAKeyGenerator(2048).generate().getModulus().decodeToBigInteger();
        return Stream.of(
                Arguments.of("an even modulus", rsa(real.subtract(BigInteger.ONE), F4), "even"),
                Arguments.of("exponent 3", rsa(real, BigInteger.valueOf(3)), "exponent must be 65537, not 3"),
                Arguments.of("exponent 2^64+1", rsa(real, BigInteger.TWO.pow(64).add(BigInteger.ONE)),
                        "exponent must be 65537, not a 65-bit number"),
                Arguments.of("a 16384-bit modulus with a 64-bit exponent",
                        rsa(oddOfBits(16_384), BigInteger.TWO.pow(64).add(BigInteger.ONE)),
                        "16384 bits; use 2048 to 4096"),
                Arguments.of("a 1024-bit modulus", rsa(oddOfBits(1024), F4), "1024 bits"),
                Arguments.of("a modulus with factor 3",
                        rsa(BigInteger.probablePrime(2047, RANDOM).multiply(BigInteger.valueOf(3)), F4),
                        "divisible by 3"),
                Arguments.of("a modulus with factor 9973, the largest prime below 10,000",
                        rsa(BigInteger.probablePrime(2040, RANDOM).multiply(BigInteger.valueOf(9973)), F4),
                        "divisible by 9973"),
                Arguments.of("an EC key on P-384", new ECKeyGenerator(Curve.P_384).generate().toPublicJWK(),
                        "P-384; use P-256"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badKeys")
    @DisplayName("an unfit key is refused with the reason, and signs nothing")
    void unfitKeyIsRefused(String what, com.nimbusds.jose.jwk.JWK key, String reason) {
        assertThat(AssertionKeys.whyUnfit(key)).hasValueSatisfying(why -> assertThat(why).contains(reason));
        assertThat(AssertionKeys.algorithmsFor(key)).isEmpty();
        assertThat(AssertionKeys.verifierFor(key)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {2048, 3072, 4096})
    @DisplayName("generated RSA keys of 2048 to 4096 bits sign RS256 and PS256")
    void generatedRsaKeysAreFit(int bits) throws Exception {
        RSAKey key = new RSAKeyGenerator(bits).generate().toPublicJWK();

        assertThat(AssertionKeys.whyUnfit(key)).isEmpty();
        assertThat(AssertionKeys.algorithmsFor(key)).containsExactlyInAnyOrder(JWSAlgorithm.RS256, JWSAlgorithm.PS256);
    }

    @Test
    @DisplayName("a P-256 key signs ES256")
    void p256IsFit() throws Exception {
        assertThat(AssertionKeys.algorithmsFor(new ECKeyGenerator(Curve.P_256).generate().toPublicJWK()))
                .containsExactly(JWSAlgorithm.ES256);
    }

    @Test
    @DisplayName("checking a 4096-bit key again costs microseconds, so the grant can afford it at every use")
    void checkIsCheap() throws Exception {
        RSAKey key = new RSAKeyGenerator(4096).generate().toPublicJWK();
        long first = System.nanoTime();
        assertThat(AssertionKeys.whyUnfit(key)).isEmpty();
        long firstMicros = (System.nanoTime() - first) / 1_000;
        for (int i = 0; i < 2_000; i++) {
            AssertionKeys.whyUnfit(key);
        }

        long start = System.nanoTime();
        for (int i = 0; i < 1_000; i++) {
            AssertionKeys.whyUnfit(key);
        }
        long nanosEach = (System.nanoTime() - start) / 1_000;

        assertThat(nanosEach).as("nanoseconds per repeated check").isLessThan(200_000);
        System.out.println("AssertionKeys.whyUnfit, 4096-bit key: first " + firstMicros + " us, then "
                + nanosEach / 1_000 + " us");
    }
}
