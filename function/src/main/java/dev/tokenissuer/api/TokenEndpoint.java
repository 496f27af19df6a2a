package dev.tokenissuer.api;

import dev.tokenissuer.grant.Grants;
import dev.tokenissuer.grant.OAuthError;
import dev.tokenissuer.grant.RecordedUses;
import dev.tokenissuer.grant.TokenRequest;
import dev.tokenissuer.grant.exchange.TokenExchangeGrant;
import dev.tokenissuer.http.HttpRequest;
import dev.tokenissuer.http.HttpResponse;
import dev.tokenissuer.http.JsonValues;
import dev.tokenissuer.token.AccessTokenIssuer;
import dev.tokenissuer.token.IssuedToken;
import dev.tokenissuer.token.TokenSubject;

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
        facts.claimed(grants.claimed(tokenRequest));
        if (issuer.needsRequestedResource() && tokenRequest.parameterValues(TokenRequest.RESOURCE).isEmpty()) {
            // RFC 9068 tokens always have an aud, and no default is configured: refused before anything is spent.
            throw OAuthError.invalidTarget(
                    "this server issues RFC 9068 access tokens, which need an audience: name a resource").exception();
        }
        // The parser named the request's issuer (IssuerName): the token carries the one its assertions were held to.
        String iss = tokenRequest.issuer().orElseThrow();
        RecordedUses uses = new RecordedUses();
        IssuedToken token;
        try {
            TokenSubject subject = grants.authorize(tokenRequest, uses);
            facts.subject(subject);
            if (TokenExchangeGrant.GRANT_TYPE.equals(tokenRequest.grantType())) {
                // A token exchange names no credential of ours: the outside identity it proved is the client.
                facts.federatedIdentity(subject.credentialId());
            }
            token = issuer.issue(subject, iss);
        } catch (RuntimeException | Error e) {
            // Refused on the way or not signed: every single use the request recorded is given back, here only.
            uses.releaseAfter(e);
            throw e;
        }
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
        return HttpResponse.json(200, JsonValues.write(body), Map.of("Cache-Control", "no-store", "Pragma", "no-cache"));
    }
}
