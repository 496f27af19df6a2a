package dev.tokenissuer.token;

/** Signing failed; the cause says why (often a KMS fault, which the error mapping turns into a 503). */
public final class TokenSigningException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TokenSigningException(Throwable cause) {
        super("could not sign the token", cause);
    }
}
