package dev.tokenissuer.store;

import at.favre.lib.crypto.bcrypt.BCrypt;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A secret's hash as Frontier stored it (issue 19): bcrypt, {@code $2a$14$...} as Go's {@code golang.org/x/crypto/bcrypt}
 * writes it. {@code tokenctl import frontier} copies it into the table as it is, and the token endpoint checks it
 * once, on the credential's first successful use, then replaces it with a {@link SecretHasher} hash.
 *
 * <p>The one place that says which hashes are legacy: the import refuses anything else that is not ours, the
 * function sends these, and only these, down the budgeted path.
 */
public final class LegacySecretHash {

    /** bcrypt's modular crypt format: version, two-digit cost, 22 characters of salt and 31 of hash. */
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$(\\d\\d)\\$[./A-Za-z0-9]{53}");
    /** Frontier writes cost 14; a cost outside this range is not Frontier's and could cost minutes per check. */
    static final int MIN_COST = 4;
    static final int MAX_COST = 16;
    /** bcrypt reads at most 72 bytes of a password; a longer secret cannot be one Frontier issued (43 characters). */
    private static final int MAX_SECRET_BYTES = 72;

    private LegacySecretHash() {
    }

    /** Whether {@code storedHash} is a bcrypt hash that this service accepts, of a cost Frontier could have written. */
    public static boolean isLegacy(String storedHash) {
        if (storedHash == null) {
            return false;
        }
        Matcher matcher = BCRYPT.matcher(storedHash);
        if (!matcher.matches()) {
            return false;
        }
        int cost = Integer.parseInt(matcher.group(1));
        return cost >= MIN_COST && cost <= MAX_COST;
    }

    /** Whether the stored hash looks like bcrypt at all, so that the import can name the problem of a bad cost. */
    public static boolean looksLikeBcrypt(String storedHash) {
        return storedHash != null && storedHash.startsWith("$2");
    }

    /**
     * Whether {@code secret} matches the bcrypt {@code legacyHash}: about a second of CPU at Frontier's cost 14, so
     * callers bound how often it runs ({@link LegacySecrets#takeCheck}). bcrypt's own comparison is constant-time.
     */
    public static boolean matches(String secret, String legacyHash) {
        if (!isLegacy(legacyHash)) {
            return false;
        }
        byte[] password = secret.getBytes(StandardCharsets.UTF_8);
        if (password.length == 0 || password.length > MAX_SECRET_BYTES) {
            return false;
        }
        return BCrypt.verifyer().verify(password, legacyHash.getBytes(StandardCharsets.UTF_8)).verified;
    }
}
