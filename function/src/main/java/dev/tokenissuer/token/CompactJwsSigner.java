package dev.tokenissuer.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import dev.tokenissuer.http.JsonValues;

import dev.tokenissuer.signing.SigningKey;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token's compact JWS serialization (RFC 7515 §7.1): the header and claims written as JSON with the function's own
 * streaming writer, base64url-encoded, and the signing input signed by the key's signer (KMS). Nimbus's
 * {@code SignedJWT} would serialize them with its shaded JSON library, about 150 classes a cold start loads for
 * nothing; the signature is Nimbus's {@code JWSSigner} contract as before, and every test verifies tokens with Nimbus.
 */
final class CompactJwsSigner {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private CompactJwsSigner() {
    }

    /** {@code claims} signed with {@code key}: header {@code alg}, {@code typ} (JWT, at+jwt), {@code kid}. */
    static String sign(SigningKey key, String type, Map<String, Object> claims) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", key.algorithm().getName());
        header.put("typ", type);
        header.put("kid", key.kid());
        String signingInput = encode(JsonValues.write(header)) + "." + encode(JsonValues.write(claims));
        try {
            JWSHeader jwsHeader = new JWSHeader.Builder(key.algorithm()).type(new JOSEObjectType(type)).keyID(key.kid())
                    .build();
            return signingInput + "." + key.signer().sign(jwsHeader,
                    signingInput.getBytes(StandardCharsets.US_ASCII));
        } catch (JOSEException e) {
            throw new TokenSigningException(e);
        }
    }

    private static String encode(String json) {
        return BASE64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
