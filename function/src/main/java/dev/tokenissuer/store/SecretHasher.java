package dev.tokenissuer.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Generates client secrets and hashes them for storage.
 *
 * <p>A secret is 32 random bytes, so guessing one is hopeless whatever the hash costs; bcrypt (Frontier's choice,
 * about a second of CPU per request) buys nothing here but latency. A salted SHA-256 is enough to keep a leaked table
 * from being a list of working secrets. The format is versioned ({@code sha256$salt$hash}) so the scheme can change.
 */
public final class SecretHasher {

    private static final String SCHEME = "sha256";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getUrlDecoder();
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * A stored hash that matches no secret, checked when the client id is unknown so that an unknown client costs
     * the same work as a wrong secret.
     */
    private static final String DECOY = hash("decoy-" + B64.encodeToString(randomBytes(32)));

    private SecretHasher() {
    }

    /** A new client secret: 32 random bytes, base64url without padding (43 characters). */
    public static String newSecret() {
        return B64.encodeToString(randomBytes(32));
    }

    public static String hash(String secret) {
        byte[] salt = randomBytes(16);
        return SCHEME + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(digest(salt, secret));
    }

    /** Whether {@code secret} matches {@code storedHash}, in time independent of where they differ. */
    public static boolean matches(String secret, String storedHash) {
        String[] parts = storedHash == null ? new String[0] : storedHash.split("\\$", -1);
        boolean wellFormed = parts.length == 3 && SCHEME.equals(parts[0]);
        String[] compared = wellFormed ? parts : DECOY.split("\\$", -1);
        byte[] salt;
        byte[] expected;
        try {
            salt = B64_DECODER.decode(compared[1]);
            expected = B64_DECODER.decode(compared[2]);
        } catch (IllegalArgumentException e) {
            return false;
        }
        boolean equal = MessageDigest.isEqual(digest(salt, secret), expected);
        return wellFormed && equal;
    }

    /** Does the same work as {@link #matches} and fails: for a client id that does not exist. */
    public static boolean matchesNothing(String secret) {
        matches(secret, DECOY);
        return false;
    }

    private static byte[] digest(byte[] salt, String secret) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(salt);
            return sha256.digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
