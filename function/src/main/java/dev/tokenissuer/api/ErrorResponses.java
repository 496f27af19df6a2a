package dev.tokenissuer.api;

import dev.tokenissuer.grant.OAuthException;
import dev.tokenissuer.grant.RefusalReason;
import dev.tokenissuer.http.HttpResponse;
import dev.tokenissuer.http.JsonValues;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one place where failures become HTTP responses.
 *
 * <p>The body keeps Frontier's shape ({@code code}, {@code message}, {@code details}) and adds RFC 6749's
 * {@code error} and {@code error_description}, so both kinds of client understand it.
 */
public final class ErrorResponses {

    private ErrorResponses() {
    }

    /** Classifies any failure: answers we chose, faults of AWS worth a retry, and everything else. */
    public static ApiError classify(Throwable failure) {
        return failure(failure).error();
    }

    /** The answer {@link #classify} gives, with the reason code and the service at fault that operators are told. */
    public static Failure failure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ApiException api) {
                return Failure.of(api.error(), api.error().httpStatus() < 500
                        ? RefusalReason.MALFORMED_REQUEST : RefusalReason.INTERNAL_ERROR);
            }
            if (cause instanceof OAuthException oauth) {
                return Failure.of(ApiError.of(oauth.error()), oauth.error().reason());
            }
            if (cause instanceof SdkClientException) {
                // No answer in time, connection refused or reset: the dependency is unavailable.
                return new Failure(ApiError.unavailable(), RefusalReason.DEPENDENCY_TIMEOUT,
                        Optional.of(Dependency.of(cause)));
            }
            if (cause instanceof AwsServiceException service) {
                Optional<Dependency> dependency = Optional.of(Dependency.of(cause));
                if (service.isThrottlingException()) {
                    return new Failure(ApiError.unavailable(), RefusalReason.DEPENDENCY_THROTTLED, dependency);
                }
                // A 4xx from AWS (access denied, no such table or key) is our misconfiguration, not the client's.
                return service.statusCode() >= 500
                        ? new Failure(ApiError.unavailable(), RefusalReason.DEPENDENCY_ERROR, dependency)
                        : new Failure(ApiError.internal(), RefusalReason.INTERNAL_ERROR, dependency);
            }
        }
        return Failure.of(ApiError.internal(), RefusalReason.INTERNAL_ERROR);
    }

    public static HttpResponse toResponse(ApiError error) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", error.grpcCode());
        body.put("message", error.message());
        body.put("details", List.of());
        body.put("error", error.error());
        body.put("error_description", error.description());

        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Cache-Control", "no-store");
        headers.put("Pragma", "no-cache");
        switch (error.httpStatus()) {
            case 401 -> headers.put("WWW-Authenticate", "Basic realm=\"token-issuer\"");
            case 503 -> headers.put("Retry-After", "1");
            default -> {
            }
        }
        return HttpResponse.json(error.httpStatus(), JsonValues.write(body), headers);
    }
}
