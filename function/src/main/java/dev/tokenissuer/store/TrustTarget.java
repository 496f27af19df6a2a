package dev.tokenissuer.store;

/**
 * What a token exchange needs of the trust rule an outside identity matched: the rule's id and the copies of its
 * service user that the rule item carries (kept in step by {@code tokenctl}, as on a client secret), so one read
 * answers the exchange.
 */
public record TrustTarget(String ruleId, String serviceUserId, String orgId, ServiceUserState state,
                          AllowedAccess allowed) {
}
