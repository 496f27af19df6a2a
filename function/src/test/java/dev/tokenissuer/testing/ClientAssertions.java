package dev.tokenissuer.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * Builds jwt-bearer assertions in tests with Nimbus, independently of the production code: as Frontier's Go SDK
 * builds them, or deliberately wrong.
 */
public final class ClientAssertions {

    /** The issuer Frontier's Go SDK puts in its assertions. */
    public static final String FRONTIER_GO_SDK_ISSUER = "//frontier-go-sdk";

    private ClientAssertions() {
    }

    /** Frontier's Go SDK header: {@code {"alg":"RS256","kid":...,"typ":"JWT"}}. */
    public static JWSHeader.Builder frontierHeader(String kid) {
        return new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).type(JOSEObjectType.JWT);
    }

    /**
     * Frontier's Go SDK claims: {@code iss}, {@code sub} = the principal, {@code iat} = {@code nbf} = now,
     * {@code exp} = now + validity, a UUID {@code jti}, and the key id again as the claim {@code kid}.
     */
    public static JWTClaimsSet.Builder frontierClaims(String kid, String principalId, Instant now,
                                                      Duration validity) {
        Instant issued = now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        return new JWTClaimsSet.Builder()
                .issuer(FRONTIER_GO_SDK_ISSUER)
                .issueTime(Date.from(issued))
                .notBeforeTime(Date.from(issued))
                .expirationTime(Date.from(issued.plus(validity)))
                .jwtID(UUID.randomUUID().toString())
                .subject(principalId)
                .claim("kid", kid);
    }

    /** An assertion as Frontier's Go SDK makes one with the key file's private key, valid for {@code validity}. */
    public static String frontierAssertion(PrivateKey privateKey, String kid, String principalId,
                                           Duration validity) {
        return sign(frontierHeader(kid).build(),
                frontierClaims(kid, principalId, Instant.now(), validity).build(), privateKey);
    }

    public static String sign(JWSHeader header, JWTClaimsSet claims, JWK privateKey) {
        try {
            JWSSigner signer = privateKey.getKeyType().getValue().equals("EC")
                    ? new ECDSASigner(privateKey.toECKey())
                    : new RSASSASigner(privateKey.toRSAKey());
            return sign(header, claims, signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sign(JWSHeader header, JWTClaimsSet claims, PrivateKey privateKey) {
        try {
            JWSSigner signer = privateKey instanceof ECPrivateKey ec ? new ECDSASigner(ec)
                    : new RSASSASigner(privateKey);
            return sign(header, claims, signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sign(JWSHeader header, JWTClaimsSet claims, JWSSigner signer) {
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /** The private key of a key file's {@code private_key}: PKCS#8 PEM, as Frontier and {@code tokenctl} write it. */
    public static PrivateKey privateKeyFromPem(String pem) {
        String body = pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "")
                .replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(
                    new PKCS8EncodedKeySpec(java.util.Base64.getDecoder().decode(body)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a PKCS#8 RSA private key", e);
        }
    }

    /** A compact serialization of exactly these header and payload texts, and these signature bytes. */
    public static String raw(String headerJson, String payloadJson, byte[] signature) {
        return Base64URL.encode(headerJson.getBytes(StandardCharsets.UTF_8)) + "."
                + Base64URL.encode(payloadJson.getBytes(StandardCharsets.UTF_8)) + "."
                + Base64URL.encode(signature);
    }
}
