package dev.tokenissuer.grant;

/**
 * The rules a jwt-bearer assertion can fail, each answered with 401 {@code invalid_grant} and a fixed description
 * that names the rule's category and nothing of the assertion.
 */
public enum AssertionFailure {
    TOO_LARGE("assertion is too large"),
    MALFORMED("assertion is not a well-formed signed JWT"),
    ALGORITHM_REFUSED("assertion algorithm is not accepted"),
    HEADER_REFUSED("assertion header carries a parameter that is not accepted"),
    ACCESS_TOKEN("an access token is not an assertion"),
    UNKNOWN_KEY("assertion key is not registered"),
    KID_MISMATCH("assertion kid claim does not match its header"),
    ISSUER_MISSING("assertion issuer is missing"),
    SUBJECT_MISMATCH("assertion subject does not match its key"),
    AUDIENCE_MISSING("assertion audience is missing"),
    AUDIENCE_REFUSED("assertion audience is not accepted"),
    EXPIRY_MISSING("assertion expiry is missing"),
    DATE_OUT_OF_RANGE("assertion date claim is out of range"),
    EXPIRED("assertion has expired"),
    NOT_YET_VALID("assertion is not yet valid"),
    LIFETIME_TOO_LONG("assertion lifetime is too long"),
    JTI_MISSING("assertion jti is missing"),
    ALGORITHM_DOES_NOT_FIT_KEY("assertion algorithm does not fit its key"),
    SIGNATURE_INVALID("assertion signature is invalid"),
    ISSUER_NOT_SUBJECT("client assertion issuer is not its subject"),
    CLIENT_ID_MISMATCH("client assertion subject is not the client_id"),
    REPLAYED("assertion was already used");

    private final String description;

    AssertionFailure(String description) {
        this.description = description;
    }

    String description() {
        return description;
    }

    public OAuthError error() {
        return OAuthError.invalidGrant(description);
    }

    OAuthException exception() {
        return error().exception();
    }
}
