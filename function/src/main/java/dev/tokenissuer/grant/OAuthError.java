package dev.tokenissuer.grant;

import java.util.Objects;

/**
 * Why a token request earns no token, as OAuth says it: an RFC 6749 §5.2 error code and a description. Grants and
 * client authentication answer with these values; the API alone decides the HTTP status, Frontier's gRPC code and
 * the body they become.
 *
 * <p>Descriptions are fixed texts chosen by the code that refuses. They never carry request data, so no secret,
 * assertion or token can be echoed back.
 *
 * @param reason why, for the operators' audit line and metrics only: never part of the answer
 */
public record OAuthError(Code code, String description, RefusalReason reason) {

    /** The error codes a token request can be refused with (RFC 6749 §5.2). */
    public enum Code {
        INVALID_REQUEST("invalid_request"),
        INVALID_CLIENT("invalid_client"),
        INVALID_GRANT("invalid_grant"),
        UNAUTHORIZED_CLIENT("unauthorized_client"),
        UNSUPPORTED_GRANT_TYPE("unsupported_grant_type"),
        /** RFC 9449 §5: the DPoP proof is missing a part, malformed, or does not fit this request. */
        INVALID_DPOP_PROOF("invalid_dpop_proof"),
        /** RFC 6749 §5.2: a scope malformed, or outside what the client may be granted. */
        INVALID_SCOPE("invalid_scope"),
        /** RFC 8707 §2: a resource malformed, or one the client may not get a token for. */
        INVALID_TARGET("invalid_target");

        private final String value;

        Code(String value) {
            this.value = value;
        }

        /** The code as it travels in the {@code error} member. */
        public String value() {
            return value;
        }
    }

    public OAuthError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(reason, "reason");
    }

    /** The code as it travels in the {@code error} member. */
    public String error() {
        return code.value();
    }

    /** A malformed request. */
    public static OAuthError invalidRequest(String description) {
        return new OAuthError(Code.INVALID_REQUEST, description, RefusalReason.MALFORMED_REQUEST);
    }

    /** A request without the credentials its grant needs: {@code invalid_request}, as RFC 6749 §5.2 says. */
    public static OAuthError missingCredentials(String description) {
        return new OAuthError(Code.INVALID_REQUEST, description, RefusalReason.MISSING_CREDENTIALS);
    }

    /** A grant type no registered grant answers to. */
    public static OAuthError unsupportedGrantType() {
        return new OAuthError(Code.UNSUPPORTED_GRANT_TYPE, "grant_type is not supported",
                RefusalReason.UNSUPPORTED_GRANT_TYPE);
    }

    /**
     * Client authentication failed. One answer for an unknown client, a wrong secret and a deleted secret, so it
     * tells an attacker nothing about which it was; only {@code reason} (which stays in our logs) does.
     */
    public static OAuthError invalidClient(RefusalReason reason) {
        return new OAuthError(Code.INVALID_CLIENT, "client authentication failed", reason);
    }

    /** The client authenticated in a way we do not support (RFC 6749 §5.2): {@code invalid_client}. */
    public static OAuthError invalidClient() {
        return invalidClient(RefusalReason.UNSUPPORTED_AUTHENTICATION);
    }

    /** A client assertion (private_key_jwt) failed a rule; the description names the rule's category only. */
    public static OAuthError invalidClient(String description, RefusalReason reason) {
        return new OAuthError(Code.INVALID_CLIENT, description, reason);
    }

    /** A DPoP proof failed a rule; the description names the rule's category only. */
    public static OAuthError invalidDpopProof(String description, RefusalReason reason) {
        return new OAuthError(Code.INVALID_DPOP_PROOF, description, reason);
    }

    /** An assertion failed a rule; the description names the rule's category only. */
    static OAuthError invalidGrant(String description, RefusalReason reason) {
        return new OAuthError(Code.INVALID_GRANT, description, reason);
    }

    /** A requested scope is malformed or not allowed; the description says which of the two, never the scope. */
    public static OAuthError invalidScope(String description) {
        return new OAuthError(Code.INVALID_SCOPE, description, RefusalReason.INVALID_SCOPE);
    }

    /** A requested resource is malformed or not allowed; the description says which of the two, never the resource. */
    public static OAuthError invalidTarget(String description) {
        return new OAuthError(Code.INVALID_TARGET, description, RefusalReason.INVALID_TARGET);
    }

    /** Correct credentials of a service user that is disabled. */
    public static OAuthError serviceUserDisabled() {
        return new OAuthError(Code.UNAUTHORIZED_CLIENT, "the service user is disabled",
                RefusalReason.USER_DISABLED);
    }

    /** This error, to be thrown out of the code that found it. */
    public OAuthException exception() {
        return new OAuthException(this);
    }
}
