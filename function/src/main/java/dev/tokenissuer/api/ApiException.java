package dev.tokenissuer.api;

/** Carries an {@link ApiError} out of the code that found it. No stack trace: it is an answer, not a bug. */
public final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient ApiError error;

    public ApiException(ApiError error) {
        super(error.error() + ": " + error.description(), null, false, false);
        this.error = error;
    }

    public ApiError error() {
        return error;
    }
}
