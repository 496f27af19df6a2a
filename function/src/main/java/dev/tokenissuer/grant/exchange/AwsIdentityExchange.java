package dev.tokenissuer.grant.exchange;

import dev.tokenissuer.grant.Established;
import dev.tokenissuer.grant.RecordedUse;
import dev.tokenissuer.grant.RefusalReason;
import dev.tokenissuer.grant.RequestedAccess;
import dev.tokenissuer.grant.TokenRequest;
import dev.tokenissuer.store.FederationRules;
import dev.tokenissuer.store.ReplayGuard;
import dev.tokenissuer.token.TokenSubject;

import java.time.Clock;
import java.util.Optional;

/**
 * An AWS identity as the subject: the signed GetCallerIdentity checked ({@link SignedCallerIdentityRequest}), sent
 * to STS ({@link StsCaller}), the caller mapped by a rule (one read), and the signature recorded as used (one
 * conditional write) only then, so a refused exchange spends nothing. The record lives as long as SigV4's window
 * around the request's date, after which STS refuses the request anyway.
 */
final class AwsIdentityExchange {

    /** The replay records' "key id": signatures of any caller share one namespace; they are unique. */
    static final String REPLAY_NAMESPACE = "aws4-request";
    static final String AUTH_VIA = "token_exchange_aws";

    private final StsEndpoints endpoints;
    private final StsCaller sts;
    private final FederationRules rules;
    private final ReplayGuard replayGuard;
    private final Clock clock;

    AwsIdentityExchange(StsEndpoints endpoints, StsCaller sts, FederationRules rules, ReplayGuard replayGuard,
                        Clock clock) {
        this.endpoints = endpoints;
        this.sts = sts;
        this.rules = rules;
        this.replayGuard = replayGuard;
        this.clock = clock;
    }

    /** The rule's service user, and the signature's single use recorded (given back if the token is not made). */
    Established exchange(String subjectToken, TokenRequest request, RequestedAccess requested) {
        SignedCallerIdentityRequest signed = SignedCallerIdentityRequest.of(subjectToken, endpoints, request,
                clock.instant());
        CallerArn caller = CallerArn.of(sts.callerArn(signed))
                .orElseThrow(() -> ExchangeRefusals.notAccepted(RefusalReason.AWS_CALLER_UNSUPPORTED));
        TokenSubject subject = rules.findAwsTrust(caller.principal())
                .map(target -> ExchangeAdmission.subject(target, caller.caller(), AUTH_VIA, requested))
                .orElseThrow(() -> ExchangeRefusals.notAccepted(RefusalReason.NO_MATCHING_RULE));
        String nonce = ReplayGuard.newNonce();
        if (!replayGuard.firstUse(REPLAY_NAMESPACE, signed.signature(), nonce,
                signed.signedAt().plus(SignedCallerIdentityRequest.WINDOW))) {
            throw ExchangeRefusals.refused("this signed request was already exchanged",
                    RefusalReason.AWS_SIGNATURE_REPLAYED);
        }
        return new Established(subject,
                Optional.of(new RecordedUse(replayGuard, REPLAY_NAMESPACE, signed.signature(), nonce)));
    }
}
