package dev.tokenissuer.grant;

/** Carries an {@link OAuthError} out of the code that found it. No stack trace: it is an answer, not a bug. */
public final class OAuthException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient OAuthError error;

    public OAuthException(OAuthError error) {
        super(error.error() + ": " + error.description(), null, false, false);
        this.error = error;
    }

    public OAuthError error() {
        return error;
    }
}
