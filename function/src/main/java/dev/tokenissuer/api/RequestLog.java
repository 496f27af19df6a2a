package dev.tokenissuer.api;

import dev.tokenissuer.http.HttpRequest;
import dev.tokenissuer.http.HttpResponse;

/**
 * One line per request, for operators. Implementations must log no body, header value or token: the request is
 * passed for its method and path only.
 */
@FunctionalInterface
public interface RequestLog {

    void record(HttpRequest request, HttpResponse response, Throwable failure, long millis);

    /** Logs nothing; for tests. */
    static RequestLog none() {
        return (request, response, failure, millis) -> {
        };
    }
}
