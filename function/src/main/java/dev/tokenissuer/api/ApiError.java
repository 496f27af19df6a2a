package dev.tokenissuer.api;

import dev.tokenissuer.grant.OAuthError;

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

    /**
     * The one mapping of OAuth errors to HTTP: 400 code 3 for a request the client must fix, 401 code 16 (with
     * Frontier's message) when authentication failed, 403 code 7 for a disabled service user's correct credentials.
     * RFC 6749 §5.2 answers a failed grant with 400; Frontier answers every credential failure with 401, and its
     * clients expect that.
     */
    public static ApiError of(OAuthError error) {
        return switch (error.code()) {
            case INVALID_REQUEST, UNSUPPORTED_GRANT_TYPE, INVALID_DPOP_PROOF, INVALID_SCOPE, INVALID_TARGET ->
                    new ApiError(400, GRPC_INVALID_ARGUMENT, error.description(), error.error(), error.description());
            case INVALID_CLIENT, INVALID_GRANT ->
                    new ApiError(401, GRPC_UNAUTHENTICATED, "not authenticated", error.error(), error.description());
            // The only cause of unauthorized_client is a disabled service user.
            case UNAUTHORIZED_CLIENT ->
                    new ApiError(403, GRPC_PERMISSION_DENIED, "service user is disabled", error.error(),
                            error.description());
        };
    }

    /** A malformed request: 400, code 3, {@code invalid_request}. */
    public static ApiError invalidRequest(String description) {
        return of(OAuthError.invalidRequest(description));
    }

    /** A body in a media type other than JSON or a form: 415, code 3. */
    public static ApiError unsupportedMediaType() {
        String description = "Content-Type must be application/json or application/x-www-form-urlencoded";
        return new ApiError(415, GRPC_INVALID_ARGUMENT, description, "invalid_request", description);
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
