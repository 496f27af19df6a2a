package dev.tokenissuer.testing;

import dev.tokenissuer.api.JwksEndpoint;
import dev.tokenissuer.api.RequestLog;
import dev.tokenissuer.api.TokenEndpoint;
import dev.tokenissuer.api.TokenIssuerApi;
import dev.tokenissuer.grant.ClientCredentialsGrant;
import dev.tokenissuer.store.CredentialStore;
import dev.tokenissuer.token.AccessTokenIssuer;
import dev.tokenissuer.token.SigningKeys;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** The whole API wired as {@code TokenIssuerApplication} wires it, over a fake store and a local key. */
public final class TestApis {

    public static final String ISSUER = "token-issuer-test";
    public static final Duration TTL = Duration.ofSeconds(900);

    private TestApis() {
    }

    public static TokenIssuerApi create(CredentialStore store, SigningKeys keys, RequestLog log) {
        AccessTokenIssuer issuer = new AccessTokenIssuer(keys, ISSUER, TTL, List.of(), Clock.systemUTC());
        TokenEndpoint token = new TokenEndpoint(List.of(new ClientCredentialsGrant(store)), issuer);
        return new TokenIssuerApi(token, new JwksEndpoint(keys, 300), log);
    }

    public static TokenIssuerApi create(CredentialStore store) {
        return create(store, LocalSigningKeys.rsa(), RequestLog.none());
    }
}
