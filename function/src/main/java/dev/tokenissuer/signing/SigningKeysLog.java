package dev.tokenissuer.signing;

/**
 * What operators need to see of the signing keys: which keys are in use, and failures the function rode out.
 * Implementations log kids and KMS key ids only, which are public.
 */
public interface SigningKeysLog {

    /** A load found a different signing key or published set than before (or is the first load). */
    void keySetChanged(KeySet previous, KeySet current);

    /** A refresh failed; the function keeps signing and publishing from the set it has. */
    void refreshFailed(Throwable failure);

    /** A key the verification set lists cannot be read from KMS (deleted, disabled, no access): not published. */
    void keyUnavailable(String keyId, Throwable failure);

    /** Logs nothing; for tests. */
    static SigningKeysLog none() {
        return new SigningKeysLog() {
            @Override
            public void keySetChanged(KeySet previous, KeySet current) {
            }

            @Override
            public void refreshFailed(Throwable failure) {
            }

            @Override
            public void keyUnavailable(String keyId, Throwable failure) {
            }
        };
    }
}
