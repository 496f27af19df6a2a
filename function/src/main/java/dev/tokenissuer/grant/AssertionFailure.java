package dev.tokenissuer.grant;

/**
 * The rules a jwt-bearer assertion can fail, each answered with 401 {@code invalid_grant} and a fixed description
 * that names the rule's category and nothing of the assertion, nor whether its key is registered.
 */
public enum AssertionFailure {
    TOO_LARGE("assertion is too large", RefusalReason.ASSERTION_TOO_LARGE),
    MALFORMED("assertion is not a well-formed signed JWT", RefusalReason.ASSERTION_MALFORMED),
    ALGORITHM_REFUSED("assertion algorithm is not accepted", RefusalReason.ASSERTION_ALGORITHM),
    HEADER_REFUSED("assertion header carries a parameter that is not accepted", RefusalReason.ASSERTION_ALGORITHM),
    ACCESS_TOKEN("an access token is not an assertion", RefusalReason.ASSERTION_IS_ACCESS_TOKEN),
    UNKNOWN_KEY(Descriptions.NOT_SIGNED_BY_A_REGISTERED_KEY, RefusalReason.UNKNOWN_KEY),
    KID_MISMATCH("assertion kid claim does not match its header", RefusalReason.ASSERTION_IDENTITY),
    ISSUER_MISSING("assertion issuer is missing", RefusalReason.ASSERTION_IDENTITY),
    SUBJECT_MISMATCH("assertion subject does not match its key", RefusalReason.ASSERTION_IDENTITY),
    AUDIENCE_MISSING("assertion audience is missing", RefusalReason.ASSERTION_AUDIENCE),
    AUDIENCE_REFUSED("assertion audience is not accepted", RefusalReason.ASSERTION_AUDIENCE),
    EXPIRY_MISSING("assertion expiry is missing", RefusalReason.ASSERTION_TIMES),
    DATE_OUT_OF_RANGE("assertion date claim is out of range", RefusalReason.ASSERTION_TIMES),
    EXPIRED("assertion has expired", RefusalReason.ASSERTION_EXPIRED),
    NOT_YET_VALID("assertion is not yet valid", RefusalReason.ASSERTION_TIMES),
    LIFETIME_TOO_LONG("assertion lifetime is too long", RefusalReason.ASSERTION_TIMES),
    JTI_MISSING("assertion jti is missing", RefusalReason.ASSERTION_JTI_MISSING),
    ALGORITHM_DOES_NOT_FIT_KEY(Descriptions.NOT_SIGNED_BY_A_REGISTERED_KEY, RefusalReason.ASSERTION_ALGORITHM),
    SIGNATURE_INVALID(Descriptions.NOT_SIGNED_BY_A_REGISTERED_KEY, RefusalReason.BAD_SIGNATURE),
    ISSUER_NOT_SUBJECT("client assertion issuer is not its subject", RefusalReason.ASSERTION_IDENTITY),
    CLIENT_ID_MISMATCH("client assertion subject is not the client_id", RefusalReason.ASSERTION_IDENTITY),
    REPLAYED("assertion was already used", RefusalReason.ASSERTION_REPLAYED);

    /**
     * One answer for every refusal that depends on the registered key: an unknown kid, an algorithm that does not fit
     * the key's type, a signature that does not verify. Telling them apart would tell a client which key ids exist and
     * of what type, which the secret path never tells (unknown client and wrong secret answer alike); the audit
     * line's reason still tells them apart.
     */
    private static final class Descriptions {
        static final String NOT_SIGNED_BY_A_REGISTERED_KEY = "assertion is not signed by a registered key";
    }

    private final String description;
    private final RefusalReason reason;

    AssertionFailure(String description, RefusalReason reason) {
        this.description = description;
        this.reason = reason;
    }

    /** What operators are told: several rules share a reason code, to keep the metric's dimension small. */
    public RefusalReason reason() {
        return reason;
    }

    String description() {
        return description;
    }

    public OAuthError error() {
        return OAuthError.invalidGrant(description, reason);
    }

    OAuthException exception() {
        return error().exception();
    }
}
