package dev.tokenissuer.api;

import dev.tokenissuer.grant.Grants;
import dev.tokenissuer.http.HttpRequest;
import dev.tokenissuer.http.HttpResponse;
import dev.tokenissuer.token.AccessTokenIssuer;
import dev.tokenissuer.token.IssuedToken;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** {@code POST /v1beta1/auth/token}: decode the request, let its grant decide who it is for, issue a token. */
public final class TokenEndpoint {

    private final TokenRequestParser parser;
    private final Grants grants;
    private final AccessTokenIssuer issuer;

    public TokenEndpoint(Grants grants, Optional<URI> publicBaseUrl, AccessTokenIssuer issuer) {
        this.parser = new TokenRequestParser(grants, publicBaseUrl);
        this.grants = grants;
        this.issuer = issuer;
    }

    public HttpResponse handle(HttpRequest request) {
        IssuedToken token = grants.authorizeAndIssue(parser.parse(request), issuer::issue);

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", token.accessToken());
        body.put("token_type", "Bearer");
        body.put("expires_in", token.expiresInSeconds());
        if (!token.scope().isEmpty()) {
            // RFC 6749 §5.1: the granted scope, which may be less than, or (when none was asked for) all of, the allowed.
            body.put("scope", token.scope());
        }
        // RFC 6749 §5.1: a response carrying a token must not be cached.
        return HttpResponse.json(200, Json.write(body), Map.of("Cache-Control", "no-store", "Pragma", "no-cache"));
    }
}
