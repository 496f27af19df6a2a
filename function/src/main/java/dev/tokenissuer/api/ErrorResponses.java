package dev.tokenissuer.api;

import dev.tokenissuer.grant.OAuthException;
import dev.tokenissuer.http.HttpResponse;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ApiException api) {
                return api.error();
            }
            if (cause instanceof OAuthException oauth) {
                return ApiError.of(oauth.error());
            }
            if (cause instanceof SdkClientException) {
                // No answer in time, connection refused or reset: the dependency is unavailable.
                return ApiError.unavailable();
            }
            if (cause instanceof AwsServiceException service) {
                boolean transientFault = service.isThrottlingException() || service.statusCode() >= 500;
                // A 4xx from AWS (access denied, no such table or key) is our misconfiguration, not the client's.
                return transientFault ? ApiError.unavailable() : ApiError.internal();
            }
        }
        return ApiError.internal();
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
        return HttpResponse.json(error.httpStatus(), Json.write(body), headers);
    }
}
