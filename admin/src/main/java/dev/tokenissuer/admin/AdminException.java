package dev.tokenissuer.admin;

/** A failure tokenctl reports to its user in one line on stderr, with a non-zero exit. */
public final class AdminException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public AdminException(String message) {
        super(message);
    }

    public AdminException(String message, Throwable cause) {
        super(message, cause);
    }
}
