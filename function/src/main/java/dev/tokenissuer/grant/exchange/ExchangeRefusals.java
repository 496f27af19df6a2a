package dev.tokenissuer.grant.exchange;

import dev.tokenissuer.grant.OAuthError;
import dev.tokenissuer.grant.OAuthException;
import dev.tokenissuer.grant.RefusalReason;

/**
 * The refusals of a token exchange: {@code invalid_request}, as RFC 8693 §2.2.2 says for a subject token that is
 * invalid or unacceptable. A refusal that depends on the trust rules or on who the caller is (no rule, a disabled
 * service user, an unknown issuer, a wrong signature) says only {@link #NOT_ACCEPTED}, so a client cannot probe
 * which identities are trusted; the reason code tells operators. Refusals of form say what is wrong with it.
 */
final class ExchangeRefusals {

    static final String NOT_ACCEPTED = "subject_token is not accepted";

    private ExchangeRefusals() {
    }

    static OAuthException notAccepted(RefusalReason reason) {
        return refused(NOT_ACCEPTED, reason);
    }

    static OAuthException refused(String description, RefusalReason reason) {
        return new OAuthError(OAuthError.Code.INVALID_REQUEST, description, reason).exception();
    }

    static OAuthException malformed(String description) {
        return refused(description, RefusalReason.SUBJECT_TOKEN_MALFORMED);
    }
}
