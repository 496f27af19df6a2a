package dev.tokenissuer.api;

import dev.tokenissuer.grant.Grant;
import dev.tokenissuer.grant.Grants;
import dev.tokenissuer.grant.TokenRequest;
import dev.tokenissuer.grant.exchange.TokenExchangeGrant;
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

    public TokenEndpoint(Grants grants, Optional<URI> publicBaseUrl, IssuerName issuerName, AccessTokenIssuer issuer) {
        this.parser = new TokenRequestParser(grants, publicBaseUrl, issuerName);
        this.grants = grants;
        this.issuer = issuer;
    }

    /** @param audit where to note what the request turns out to be, for the audit line; null for none */
    public HttpResponse handle(HttpRequest request, TokenAudit audit) {
        TokenAudit facts = audit == null ? new TokenAudit() : audit;
        TokenRequest tokenRequest = parser.parse(request);
        grants.find(tokenRequest.grantType()).ifPresent(grant -> {
            facts.grantType(grant.grantType());
            grants.claimedCredential(tokenRequest).ifPresent(id -> facts.credential(id,
                    grant.clientAuthentication() == Grant.ClientAuthenticationRule.NOT_USED));
        });
        // The parser named the request's issuer (IssuerName): the token carries the one its assertions were held to.
        String iss = tokenRequest.issuer().orElseThrow();
        IssuedToken token = grants.authorizeAndIssue(tokenRequest, subject -> {
            facts.subject(subject);
            if (TokenExchangeGrant.GRANT_TYPE.equals(tokenRequest.grantType())) {
                // A token exchange names no credential of ours: the outside identity it proved is the client.
                facts.credential(subject.credentialId(), false);
            }
            return issuer.issue(subject, iss);
        });
        facts.issued(token);

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", token.accessToken());
        body.put("token_type", token.tokenType());
        body.put("expires_in", token.expiresInSeconds());
        if (TokenExchangeGrant.GRANT_TYPE.equals(tokenRequest.grantType())) {
            body.put("issued_token_type", TokenExchangeGrant.ACCESS_TOKEN); // RFC 8693 §2.2.1
        }
        if (!token.scope().isEmpty()) {
            // RFC 6749 §5.1: the granted scope, which may be less than, or (when none was asked for) all of, the allowed.
            body.put("scope", token.scope());
        }
        // RFC 6749 §5.1: a response carrying a token must not be cached.
        return HttpResponse.json(200, Json.write(body), Map.of("Cache-Control", "no-store", "Pragma", "no-cache"));
    }
}
