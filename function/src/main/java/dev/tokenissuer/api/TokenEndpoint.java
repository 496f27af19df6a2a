package dev.tokenissuer.api;

import dev.tokenissuer.grant.Grant;
import dev.tokenissuer.grant.TokenSubject;
import dev.tokenissuer.http.HttpRequest;
import dev.tokenissuer.http.HttpResponse;
import dev.tokenissuer.token.AccessTokenIssuer;
import dev.tokenissuer.token.IssuedToken;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** {@code POST /v1beta1/auth/token}: decode the request, let its grant authenticate it, issue a token. */
public final class TokenEndpoint {

    private final TokenRequestParser parser = new TokenRequestParser();
    private final Map<String, Grant> grants;
    private final AccessTokenIssuer issuer;

    public TokenEndpoint(List<Grant> grants, AccessTokenIssuer issuer) {
        this.grants = grants.stream().collect(Collectors.toUnmodifiableMap(Grant::grantType, Function.identity()));
        this.issuer = issuer;
    }

    public HttpResponse handle(HttpRequest request) {
        TokenRequest tokenRequest = parser.parse(request);
        Grant grant = grants.get(tokenRequest.grantType());
        if (grant == null) {
            throw new ApiException(ApiError.unsupportedGrantType());
        }
        TokenSubject subject = grant.authenticate(tokenRequest);
        IssuedToken token = issuer.issue(subject);

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", token.accessToken());
        body.put("token_type", "Bearer");
        body.put("expires_in", token.expiresInSeconds());
        // RFC 6749 §5.1: a response carrying a token must not be cached.
        return HttpResponse.json(200, Json.write(body), Map.of("Cache-Control", "no-store", "Pragma", "no-cache"));
    }
}
