package dev.tokenissuer.api;

import dev.tokenissuer.http.HttpRequest;
import dev.tokenissuer.http.HttpResponse;

import java.util.Optional;

/**
 * One record per request, for operators: the audit line and the metrics. Implementations must log no body, header
 * value or token: the request is passed for its method, path and context only.
 */
@FunctionalInterface
public interface RequestLog {

    /**
     * A request and how it ended.
     *
     * @param failure what went wrong, classified; empty when the route answered by itself (a 2xx, or a 405)
     * @param cause   the exception behind {@code failure}, for its class names; null when none
     * @param token   what the token endpoint learned; empty for other endpoints
     */
    record Exchange(HttpRequest request, HttpResponse response, Optional<Failure> failure, Throwable cause,
                    long millis, Optional<TokenAudit> token) {
    }

    void record(Exchange exchange);

    /** Logs nothing: SnapStart priming's twin, and tests. */
    static RequestLog none() {
        return exchange -> {
        };
    }
}
