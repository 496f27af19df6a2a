package dev.tokenissuer.api;

import java.util.Objects;

/**
 * An error the API answers with: the HTTP status, Frontier's gRPC status code and message, and the RFC 6749 error
 * code with a description. Every failure is one of these values; {@link ErrorResponses} is the one place that turns
 * them into HTTP responses.
 *
 * <p>Descriptions are fixed texts chosen by the code that raises the error. They never carry request data, so no
 * secret, assertion or token can be echoed back.
 */
public record ApiError(int httpStatus, int grpcCode, String message, String error, String description) {

    // gRPC status codes, as Frontier answers them.
    static final int GRPC_INVALID_ARGUMENT = 3;
    static final int GRPC_NOT_FOUND = 5;
    static final int GRPC_PERMISSION_DENIED = 7;
    static final int GRPC_UNIMPLEMENTED = 12;
    static final int GRPC_INTERNAL = 13;
    static final int GRPC_UNAVAILABLE = 14;
    static final int GRPC_UNAUTHENTICATED = 16;

    public ApiError {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(description, "description");
    }

    /** A malformed request: 400, code 3, {@code invalid_request}. */
    public static ApiError invalidRequest(String description) {
        return new ApiError(400, GRPC_INVALID_ARGUMENT, description, "invalid_request", description);
    }

    /** A grant type this server does not support: 400, code 3, {@code unsupported_grant_type}. */
    public static ApiError unsupportedGrantType() {
        String description = "grant_type is not supported";
        return new ApiError(400, GRPC_INVALID_ARGUMENT, description, "unsupported_grant_type", description);
    }

    /** A body in a media type other than JSON or a form: 415, code 3. */
    public static ApiError unsupportedMediaType() {
        String description = "Content-Type must be application/json or application/x-www-form-urlencoded";
        return new ApiError(415, GRPC_INVALID_ARGUMENT, description, "invalid_request", description);
    }

    /**
     * Client authentication failed. One value for an unknown client, a wrong secret and a deleted secret, so the
     * answer tells an attacker nothing about which it was.
     */
    public static ApiError invalidClient() {
        return new ApiError(401, GRPC_UNAUTHENTICATED, "not authenticated", "invalid_client",
                "client authentication failed");
    }

    /** An assertion (jwt-bearer grant) failed a rule; the description names the rule's category only. */
    public static ApiError invalidGrant(String description) {
        return new ApiError(401, GRPC_UNAUTHENTICATED, "not authenticated", "invalid_grant", description);
    }

    /** Correct credentials of a service user that is disabled: 403, code 7. */
    public static ApiError serviceUserDisabled() {
        return new ApiError(403, GRPC_PERMISSION_DENIED, "service user is disabled", "unauthorized_client",
                "the service user is disabled");
    }

    public static ApiError notFound() {
        return new ApiError(404, GRPC_NOT_FOUND, "not found", "not_found", "no such resource");
    }

    public static ApiError methodNotAllowed() {
        return new ApiError(405, GRPC_UNIMPLEMENTED, "method not allowed", "method_not_allowed",
                "the resource does not support this method");
    }

    /** KMS or DynamoDB did not answer in time, throttled us or failed: worth retrying. */
    public static ApiError unavailable() {
        return new ApiError(503, GRPC_UNAVAILABLE, "service unavailable", "temporarily_unavailable",
                "the service is temporarily unavailable, retry later");
    }

    public static ApiError internal() {
        return new ApiError(500, GRPC_INTERNAL, "internal server error", "server_error", "internal server error");
    }
}
