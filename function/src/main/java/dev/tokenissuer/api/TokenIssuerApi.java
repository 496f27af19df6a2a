package dev.tokenissuer.api;

import dev.tokenissuer.http.Endpoints;
import dev.tokenissuer.http.HttpRequest;
import dev.tokenissuer.http.HttpResponse;

import java.util.Map;
import java.util.function.Function;

/**
 * The whole HTTP API, independent of what carries requests to it: routes a request, and turns every failure into
 * an answer through {@link ErrorResponses}. Never throws.
 */
public final class TokenIssuerApi {

    private record Route(String method, Function<HttpRequest, HttpResponse> handler) {
    }

    private final Map<String, Route> routes;
    private final RequestLog log;

    public TokenIssuerApi(TokenEndpoint token, JwksEndpoint jwks, DiscoveryEndpoint discovery, RequestLog log) {
        this.routes = Map.of(
                Endpoints.TOKEN_PATH, new Route("POST", token::handle),
                Endpoints.JWKS_PATH, new Route("GET", request -> jwks.handle()),
                Endpoints.FRONTIER_JWKS_PATH, new Route("GET", request -> jwks.handle()),
                Endpoints.OAUTH_METADATA_PATH, new Route("GET", discovery::handle),
                Endpoints.OPENID_CONFIGURATION_PATH, new Route("GET", discovery::handle));
        this.log = log;
    }

    public HttpResponse handle(HttpRequest request) {
        long started = System.nanoTime();
        HttpResponse response;
        Throwable failure = null;
        try {
            response = route(request);
        } catch (RuntimeException | Error e) {
            failure = e;
            response = ErrorResponses.toResponse(ErrorResponses.classify(e));
        }
        log.record(request, response, failure, (System.nanoTime() - started) / 1_000_000);
        return response;
    }

    private HttpResponse route(HttpRequest request) {
        Route route = routes.get(request.path());
        if (route == null) {
            throw new ApiException(ApiError.notFound());
        }
        if (!route.method().equals(request.method())) {
            HttpResponse notAllowed = ErrorResponses.toResponse(ApiError.methodNotAllowed());
            Map<String, String> headers = new java.util.LinkedHashMap<>(notAllowed.headers());
            headers.put("Allow", route.method());
            return new HttpResponse(notAllowed.status(), headers, notAllowed.body());
        }
        return route.handler().apply(request);
    }
}
