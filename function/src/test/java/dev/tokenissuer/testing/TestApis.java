package dev.tokenissuer.testing;

import dev.tokenissuer.api.DiscoveryEndpoint;
import dev.tokenissuer.api.JwksEndpoint;
import dev.tokenissuer.api.RequestLog;
import dev.tokenissuer.api.TokenEndpoint;
import dev.tokenissuer.api.TokenIssuerApi;
import dev.tokenissuer.grant.AssertionRules;
import dev.tokenissuer.grant.ClientCredentialsGrant;
import dev.tokenissuer.grant.JwtBearerGrant;
import dev.tokenissuer.store.CredentialStore;
import dev.tokenissuer.token.AccessTokenIssuer;
import dev.tokenissuer.token.SigningKeys;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The whole API wired as {@code TokenIssuerApplication} wires it, over a fake store and a local key. */
public final class TestApis {

    public static final String ISSUER = "token-issuer-test";
    public static final Duration TTL = Duration.ofSeconds(900);
    /** The rules as configured by default, with {@link #ISSUER} as this server's name. */
    public static final AssertionRules ASSERTION_RULES = new AssertionRules(Set.of(ISSUER), false,
            Duration.ofSeconds(60), Duration.ofSeconds(3600), ISSUER);

    private TestApis() {
    }

    public static TokenIssuerApi create(CredentialStore store, SigningKeys keys, RequestLog log) {
        AccessTokenIssuer issuer = new AccessTokenIssuer(keys, ISSUER, TTL, List.of(), Clock.systemUTC());
        JwtBearerGrant jwtBearer = new JwtBearerGrant(store, new InMemoryReplayGuard(), ASSERTION_RULES,
                Clock.systemUTC());
        TokenEndpoint token = new TokenEndpoint(List.of(new ClientCredentialsGrant(store), jwtBearer), issuer);
        return new TokenIssuerApi(token, new JwksEndpoint(keys, 300),
                new DiscoveryEndpoint(ISSUER, Optional.empty(), 300), log);
    }

    public static TokenIssuerApi create(CredentialStore store) {
        return create(store, LocalSigningKeys.rsa(), RequestLog.none());
    }
}
