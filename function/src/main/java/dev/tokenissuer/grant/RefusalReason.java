package dev.tokenissuer.grant;

import java.util.Locale;

/**
 * Why a token request got no token, for operators: the closed set of reason codes the audit line and the refusal
 * metric carry (docs/operations.md lists them). The client never sees them: it gets the OAuth error, which says
 * {@code invalid_client} alike for an unknown client and a wrong secret, so it cannot tell which it guessed wrong.
 *
 * <p>Each code is its constant's name in lower case. The assertion codes are what {@link AssertionFailure}
 * constants map to.
 */
public enum RefusalReason {
    /** The request's shape: not decodable, a parameter missing or repeated, a body in another media type. */
    MALFORMED_REQUEST,
    /** The grant needs credentials and none came: no client id or secret, no assertion. */
    MISSING_CREDENTIALS,
    /** No registered grant answers to the request's {@code grant_type}. */
    UNSUPPORTED_GRANT_TYPE,
    /** An {@code Authorization} scheme we do not take, or a Bearer header with a grant that reads none. */
    UNSUPPORTED_AUTHENTICATION,
    /** The client id is not a stored credential (never created, or deleted). */
    UNKNOWN_CLIENT,
    /** The client id exists and the secret does not match it. */
    BAD_SECRET,
    /**
     * A secret imported from Frontier, still under its bcrypt hash, whose budget of checks for the current window
     * is spent: refused without checking (issue 19, docs/migration.md).
     */
    LEGACY_HASH_REFUSED,
    /** Correct credentials of a disabled service user. */
    USER_DISABLED,
    /** Correct credentials (a secret, or an assertion its key verifies) past their expiry ({@code --expires-in}). */
    CREDENTIAL_EXPIRED,
    ASSERTION_TOO_LARGE,
    ASSERTION_MALFORMED,
    /** An algorithm or header parameter we do not take, or an algorithm that does not fit the key. */
    ASSERTION_ALGORITHM,
    /** One of our own access tokens presented as an assertion. */
    ASSERTION_IS_ACCESS_TOKEN,
    /** The assertion's kid is not a registered key. */
    UNKNOWN_KEY,
    /** A claim that names who signed does not fit: the kid claim, a missing {@code iss}, a {@code sub} not the key's. */
    ASSERTION_IDENTITY,
    ASSERTION_AUDIENCE,
    ASSERTION_EXPIRED,
    /** Not yet valid, lifetime too long, or no {@code exp}. */
    ASSERTION_TIMES,
    ASSERTION_JTI_MISSING,
    BAD_SIGNATURE,
    ASSERTION_REPLAYED,
    /** A scope malformed, or not among the service user's allowed scopes. */
    INVALID_SCOPE,
    /** A resource malformed, or not among the service user's allowed audiences. */
    INVALID_TARGET,
    /** A DPoP proof that breaks a rule of RFC 9449 §4.3 (shape, typ, key, algorithm, signature, htm, htu, iat). */
    DPOP_PROOF_INVALID,
    /** A DPoP proof whose jti was already used. */
    DPOP_PROOF_REPLAYED,
    /** Token exchange: a subject_token that is not what its subject_token_type says (not JSON, not a JWT, ...). */
    SUBJECT_TOKEN_MALFORMED,
    /** Token exchange, AWS: the request carries no SigV4 Authorization header. */
    AWS_REQUEST_UNSIGNED,
    /** Token exchange, AWS: STS refused the signature (wrong, expired, or credentials it does not know). */
    AWS_SIGNATURE_INVALID,
    /** Token exchange, AWS: x-token-issuer-audience, host or x-amz-date is not among the signed headers. */
    AWS_HEADER_NOT_SIGNED,
    /** Token exchange, AWS: x-token-issuer-audience names neither our token endpoint nor our issuer. */
    AWS_WRONG_AUDIENCE,
    /** Token exchange, AWS: a URL, action, method or host other than STS GetCallerIdentity on our endpoints. */
    AWS_URL_NOT_STS,
    /** Token exchange, AWS: x-amz-date outside SigV4's 15 minutes. */
    AWS_DATE_EXPIRED,
    /** Token exchange, AWS: this signature was already exchanged. */
    AWS_SIGNATURE_REPLAYED,
    /** Token exchange, AWS: a caller that is neither a role session nor an IAM user (root, federated user). */
    AWS_CALLER_UNSUPPORTED,
    /** Token exchange, OIDC: the token's issuer is not registered. */
    OIDC_UNKNOWN_ISSUER,
    /** Token exchange, OIDC: the token's aud does not carry the issuer's required audience. */
    OIDC_WRONG_AUDIENCE,
    /** Token exchange, OIDC: the token has expired, has no exp, or is not yet valid. */
    OIDC_EXPIRED,
    /** Token exchange: the identity is proven but no trust rule maps it to a service user. */
    NO_MATCHING_RULE,
    /** KMS or DynamoDB did not answer in time, or the connection failed. */
    DEPENDENCY_TIMEOUT,
    /** KMS or DynamoDB throttled us. */
    DEPENDENCY_THROTTLED,
    /** KMS or DynamoDB answered with a server error. */
    DEPENDENCY_ERROR,
    /** Anything else: a bug, or our misconfiguration (AWS answered access denied, no such table or key). */
    INTERNAL_ERROR;

    /** The code as the audit line and the metric dimension carry it. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
