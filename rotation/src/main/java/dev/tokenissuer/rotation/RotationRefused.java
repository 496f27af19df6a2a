package dev.tokenissuer.rotation;

/**
 * A rotation step that must not go on: the secret is not this project's, a step came out of order, or the pending
 * credential does not authenticate. The step fails (Secrets Manager records it and retries later) and changes nothing.
 */
public final class RotationRefused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RotationRefused(String message) {
        super(message);
    }
}
