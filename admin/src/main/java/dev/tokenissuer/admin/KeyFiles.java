package dev.tokenissuer.admin;

import dev.tokenissuer.http.JsonValues;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import dev.tokenissuer.grant.AssertionKeys;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Service-user key material on the operator's machine: generating a key pair and writing Frontier's key file, and
 * reading a public key a user generated. The JDK does the cryptography; Nimbus only models JWKs.
 */
final class KeyFiles {

    /** Frontier's service-user keys are RSA-2048; so are ours, so its clients take our key files unchanged. */
    private static final int GENERATED_RSA_BITS = 2048;
    /** A public key file is a few KiB at most; anything much larger is the wrong file. */
    static final int MAX_KEY_TEXT_CHARS = 64 * 1024;
    /** A JWK is a flat object (its arrays hold strings): deeper nesting is not a key, and could exhaust the stack. */
    private static final int MAX_JWK_NESTING = 4;

    private KeyFiles() {
    }

    /** A new key pair: the public JWK to store, and the private key as PKCS#8 PEM, shown once. */
    record GeneratedKey(JWK publicJwk, String privateKeyPem) {
        @Override
        public String toString() {
            return "GeneratedKey[" + publicJwk.getKeyType() + "]";
        }
    }

    static GeneratedKey generateRsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(GENERATED_RSA_BITS);
            KeyPair pair = generator.generateKeyPair();
            return new GeneratedKey(publicJwk(pair.getPublic()), pem("PRIVATE KEY",
                    pair.getPrivate().getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime generates RSA keys", e);
        }
    }

    /**
     * Frontier's key file, so that a client built for Frontier works with it unchanged:
     * {@code {"type":"sv_rsa","kid","principal_id","private_key"}}.
     */
    static Map<String, Object> frontierKeyFile(String kid, String principalId, String privateKeyPem) {
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("type", "sv_rsa");
        file.put("kid", kid);
        file.put("principal_id", principalId);
        file.put("private_key", privateKeyPem);
        return file;
    }

    /**
     * Reads a public key from a PEM SubjectPublicKeyInfo ({@code -----BEGIN PUBLIC KEY-----}) or a JWK, and returns
     * it as a public JWK carrying only the key: nothing else the file may hold (its kid, URLs, certificates) is
     * stored. Whether the key is fit to sign assertions is the store's check; the kid is the store's choice.
     */
    static JWK readPublicKey(String text) {
        if (text.length() > MAX_KEY_TEXT_CHARS) {
            throw new AdminException("the key file is larger than " + MAX_KEY_TEXT_CHARS / 1024
                    + " KiB; a public key is a few KiB at most");
        }
        String trimmed = text.strip();
        if (trimmed.startsWith("{")) {
            return fromJwk(trimmed);
        }
        Pem pem = Pem.read(trimmed);
        if (pem.label().contains("PRIVATE")) {
            throw new AdminException("that is a private key; register the public key only");
        }
        if (!pem.label().equals("PUBLIC KEY")) {
            throw new AdminException("expected -----BEGIN PUBLIC KEY----- (SubjectPublicKeyInfo), not " + pem.label()
                    + "; e.g. openssl pkey -pubin -in FILE -out public.pem");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pem.base64().getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new AdminException("the PEM public key is not valid base64");
        }
        return publicJwk(subjectPublicKey(der));
    }

    private static JWK fromJwk(String json) {
        if (JsonValues.nesting(json) > MAX_JWK_NESTING) {
            throw new AdminException("the file is not a valid JWK");
        }
        JWK jwk;
        try {
            jwk = JWK.parse(json);
        } catch (ParseException e) {
            throw new AdminException("the file is not a valid JWK");
        }
        if (jwk.isPrivate()) {
            throw new AdminException("that is a private key; register the public key only");
        }
        try {
            if (jwk instanceof RSAKey rsa) {
                // Before the JDK sees it: the JDK refuses some unsound keys too, but without saying why.
                AssertionKeys.whyUnfit(rsa).ifPresent(reason -> {
                    throw new AdminException(reason);
                });
                return publicJwk(rsa.toRSAPublicKey());
            }
            if (jwk instanceof ECKey ec) {
                return publicJwk(ec.toECPublicKey());
            }
        } catch (JOSEException e) {
            throw new AdminException("the JWK does not hold a valid public key");
        }
        throw new AdminException("the key must be RSA or EC, not " + jwk.getKeyType());
    }


    private static PublicKey subjectPublicKey(byte[] der) {
        for (String algorithm : new String[]{"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException notThisKind) {
                // try the next kind
            }
        }
        throw new AdminException("the PEM public key is neither RSA nor EC");
    }

    private static JWK publicJwk(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            return new RSAKey.Builder(rsa).keyUse(KeyUse.SIGNATURE).build();
        }
        if (key instanceof ECPublicKey ec) {
            Curve curve = Curve.forECParameterSpec(ec.getParams());
            if (curve == null) {
                throw new AdminException("the EC key is on a curve that is not supported; use P-256");
            }
            return new ECKey.Builder(curve, ec).keyUse(KeyUse.SIGNATURE)
                    .algorithm(Curve.P_256.equals(curve) ? JWSAlgorithm.ES256 : null).build();
        }
        throw new AdminException("the key must be RSA or EC");
    }

    private static String pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }
}
