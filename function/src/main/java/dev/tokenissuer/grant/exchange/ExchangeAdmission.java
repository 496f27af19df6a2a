package dev.tokenissuer.grant.exchange;

import dev.tokenissuer.grant.RequestedAccess;
import dev.tokenissuer.grant.RefusalReason;
import dev.tokenissuer.store.ServiceUserState;
import dev.tokenissuer.store.TrustTarget;
import dev.tokenissuer.token.TokenSubject;

/** The last steps of both exchanges, once a rule matched: the service user's state, then the access it may get. */
final class ExchangeAdmission {

    private ExchangeAdmission() {
    }

    /**
     * @param identity who the outside identity is (the caller ARN, the token's {@code sub}): the token's
     *                 {@code client_id} and the audit line's
     */
    static TokenSubject subject(TrustTarget target, String identity, String authVia, RequestedAccess requested) {
        if (target.state() != ServiceUserState.ENABLED) {
            throw ExchangeRefusals.notAccepted(RefusalReason.USER_DISABLED);
        }
        if (target.orgId() == null || target.serviceUserId() == null) {
            throw new IllegalStateException("trust rule " + target.ruleId() + " lacks its service user's copies");
        }
        return new TokenSubject(target.serviceUserId(), target.orgId(), identity, authVia)
                .withAccess(requested.decide(target.allowed()));
    }
}
