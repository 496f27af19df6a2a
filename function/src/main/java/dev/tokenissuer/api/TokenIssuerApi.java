package dev.tokenissuer.api;

import dev.tokenissuer.http.Endpoints;
import dev.tokenissuer.http.HttpRequest;
import dev.tokenissuer.http.HttpResponse;

import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The whole HTTP API, independent of what carries requests to it: routes a request, and turns every failure into
 * an answer through {@link ErrorResponses}. Never throws.
 */
public final class TokenIssuerApi {

    private record Route(String method, BiFunction<HttpRequest, TokenAudit, HttpResponse> handler) {
    }

    private final Map<String, Route> routes;
    private final RequestLog log;

    public TokenIssuerApi(TokenEndpoint token, JwksEndpoint jwks, DiscoveryEndpoint discovery, RequestLog log) {
        this(token, jwks, discovery, Optional.empty(), log);
    }

    public TokenIssuerApi(TokenEndpoint token, JwksEndpoint jwks, DiscoveryEndpoint discovery,
                          Optional<HealthEndpoint> health, RequestLog log) {
        Map<String, Route> routes = new java.util.HashMap<>(Map.of(
                Endpoints.TOKEN_PATH, new Route("POST", token::handle),
                Endpoints.JWKS_PATH, new Route("GET", (request, audit) -> jwks.handle()),
                Endpoints.FRONTIER_JWKS_PATH, new Route("GET", (request, audit) -> jwks.handle()),
                Endpoints.OAUTH_METADATA_PATH, new Route("GET", (request, audit) -> discovery.handle(request)),
                Endpoints.OPENID_CONFIGURATION_PATH,
                new Route("GET", (request, audit) -> discovery.handle(request))));
        health.ifPresent(endpoint -> routes.put(Endpoints.HEALTH_PATH,
                new Route("GET", (request, audit) -> endpoint.handle())));
        this.routes = Map.copyOf(routes);
        this.log = log;
    }

    public HttpResponse handle(HttpRequest request) {
        long started = System.nanoTime();
        Optional<TokenAudit> audit = request.path().equals(Endpoints.TOKEN_PATH)
                ? Optional.of(new TokenAudit()) : Optional.empty();
        HttpResponse response;
        Throwable cause = null;
        Optional<Failure> failure = Optional.empty();
        try {
            response = route(request, audit.orElse(null));
        } catch (RuntimeException | Error e) {
            cause = e;
            failure = Optional.of(ErrorResponses.failure(e));
            response = ErrorResponses.toResponse(failure.get().error());
        }
        log.record(new RequestLog.Exchange(request, response, failure, cause,
                (System.nanoTime() - started) / 1_000_000, audit));
        return response;
    }

    private HttpResponse route(HttpRequest request, TokenAudit audit) {
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
        return route.handler().apply(request, audit);
    }
}
