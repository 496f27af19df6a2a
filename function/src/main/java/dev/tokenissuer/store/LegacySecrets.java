package dev.tokenissuer.store;

/**
 * The function's only writes to credentials (issue 19): the budget of legacy hash checks of an imported secret, and
 * the one-time replacement of its Frontier bcrypt hash ({@link LegacySecretHash}) by our own ({@link SecretHasher}).
 */
public interface LegacySecrets {

    /**
     * Takes one check of {@code clientId}'s legacy hash from its budget for the current window; false when the
     * window's budget is spent, and the caller must refuse without checking. Taken before checking, so that
     * concurrent requests cannot run more checks than the budget between them.
     */
    boolean takeCheck(String clientId);

    /**
     * Replaces {@code legacyHash} by {@code nativeHash} on {@code clientId}'s secret, if the item still holds
     * {@code legacyHash}. False when it does not (a concurrent request upgraded it first, or the secret was deleted):
     * the caller's check still stands, as it was made against what was stored when the request read it.
     */
    boolean replace(String clientId, String legacyHash, String nativeHash);

    /** For stores without legacy secrets: no check is ever allowed. */
    LegacySecrets NONE = new LegacySecrets() {
        @Override
        public boolean takeCheck(String clientId) {
            return false;
        }

        @Override
        public boolean replace(String clientId, String legacyHash, String nativeHash) {
            return false;
        }
    };
}
