package dev.tokenissuer.grant;

import java.util.Objects;

/**
 * Why a token request earns no token, as OAuth says it: an RFC 6749 §5.2 error code and a description. Grants and
 * client authentication answer with these values; the API alone decides the HTTP status, Frontier's gRPC code and
 * the body they become.
 *
 * <p>Descriptions are fixed texts chosen by the code that refuses. They never carry request data, so no secret,
 * assertion or token can be echoed back.
 */
public record OAuthError(Code code, String description) {

    /** The error codes a token request can be refused with (RFC 6749 §5.2). */
    public enum Code {
        INVALID_REQUEST("invalid_request"),
        INVALID_CLIENT("invalid_client"),
        INVALID_GRANT("invalid_grant"),
        UNAUTHORIZED_CLIENT("unauthorized_client"),
        UNSUPPORTED_GRANT_TYPE("unsupported_grant_type"),
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
    }

    /** The code as it travels in the {@code error} member. */
    public String error() {
        return code.value();
    }

    /** A malformed request. */
    public static OAuthError invalidRequest(String description) {
        return new OAuthError(Code.INVALID_REQUEST, description);
    }

    /** A grant type no registered grant answers to. */
    public static OAuthError unsupportedGrantType() {
        return new OAuthError(Code.UNSUPPORTED_GRANT_TYPE, "grant_type is not supported");
    }

    /**
     * Client authentication failed. One value for an unknown client, a wrong secret and a deleted secret, so the
     * answer tells an attacker nothing about which it was.
     */
    public static OAuthError invalidClient() {
        return new OAuthError(Code.INVALID_CLIENT, "client authentication failed");
    }

    /** An assertion failed a rule; the description names the rule's category only. */
    public static OAuthError invalidGrant(String description) {
        return new OAuthError(Code.INVALID_GRANT, description);
    }

    /** A requested scope is malformed or not allowed; the description says which of the two, never the scope. */
    public static OAuthError invalidScope(String description) {
        return new OAuthError(Code.INVALID_SCOPE, description);
    }

    /** A requested resource is malformed or not allowed; the description says which of the two, never the resource. */
    public static OAuthError invalidTarget(String description) {
        return new OAuthError(Code.INVALID_TARGET, description);
    }

    /** Correct credentials of a service user that is disabled. */
    public static OAuthError serviceUserDisabled() {
        return new OAuthError(Code.UNAUTHORIZED_CLIENT, "the service user is disabled");
    }

    /** This error, to be thrown out of the code that found it. */
    public OAuthException exception() {
        return new OAuthException(this);
    }
}
