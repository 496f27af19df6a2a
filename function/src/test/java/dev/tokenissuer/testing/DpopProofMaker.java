package dev.tokenissuer.testing;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;

import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/** DPoP proofs (RFC 9449 §4.2) as a client makes them, built with Nimbus, for tests to take apart rule by rule. */
public final class DpopProofMaker {

    private DpopProofMaker() {
    }

    /** A fresh P-256 key, as a client would hold for DPoP. */
    public static ECKey newKey() {
        try {
            return new ECKeyGenerator(Curve.P_256).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The header of a proof signed with {@code key}: typ dpop+jwt and the public key. */
    public static JWSHeader.Builder header(JWK key, JWSAlgorithm algorithm) {
        return new JWSHeader.Builder(algorithm).type(new JOSEObjectType("dpop+jwt")).jwk(key.toPublicJWK());
    }

    /** The claims of a proof for {@code POST htu}, issued at {@code now}, with a fresh jti. */
    public static JWTClaimsSet.Builder claims(String htu, Instant now) {
        return new JWTClaimsSet.Builder()
                .jwtID(UUID.randomUUID().toString())
                .claim("htm", "POST")
                .claim("htu", htu)
                .issueTime(Date.from(now));
    }

    /** A valid proof for {@code POST htu}, signed with the P-256 {@code key}. */
    public static String proof(ECKey key, String htu) {
        return ClientAssertions.sign(header(key, JWSAlgorithm.ES256).build(), claims(htu, Instant.now()).build(), key);
    }
}
