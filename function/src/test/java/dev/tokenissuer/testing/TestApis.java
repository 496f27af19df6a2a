package dev.tokenissuer.testing;

import dev.tokenissuer.api.RequestLog;
import dev.tokenissuer.api.TokenIssuerApi;
import dev.tokenissuer.config.IssuerConfig;
import dev.tokenissuer.grant.AssertionRules;
import dev.tokenissuer.lambda.TokenIssuerApplication;
import dev.tokenissuer.signing.SigningKeys;
import dev.tokenissuer.store.CredentialStore;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/** The whole API as {@code TokenIssuerApplication} wires it, over a fake store, a local key and an in-memory replay guard. */
public final class TestApis {

    public static final String ISSUER = "token-issuer-test";
    public static final Duration TTL = Duration.ofSeconds(900);
    /** The configuration the tests' API runs with: the defaults but for issuer, TTL and a 300 s JWKS max-age. */
    public static final IssuerConfig CONFIG = IssuerConfig.from(Map.of(
            "TOKEN_ISSUER", ISSUER,
            "TOKEN_TTL_SECONDS", Long.toString(TTL.toSeconds()),
            "SIGNING_KEYS_REFRESH_SECONDS", "300",
            "JWKS_MAX_AGE_SECONDS", "300"));
    /** The rules as configured by default, with {@link #ISSUER} as this server's name. */
    public static final AssertionRules ASSERTION_RULES = new AssertionRules(Set.of(ISSUER), false,
            Duration.ofSeconds(60), Duration.ofSeconds(3600), ISSUER);

    private TestApis() {
    }

    public static TokenIssuerApplication.Backends backends(CredentialStore store, SigningKeys keys) {
        return new TokenIssuerApplication.Backends(store, new InMemoryReplayGuard(), keys, Clock.systemUTC());
    }

    public static TokenIssuerApplication.Application application(CredentialStore store, SigningKeys keys,
                                                                 RequestLog log) {
        return TokenIssuerApplication.wire(CONFIG, backends(store, keys), log);
    }

    public static TokenIssuerApplication.Application application(CredentialStore store) {
        return application(store, LocalSigningKeys.rsa(), RequestLog.none());
    }

    public static TokenIssuerApi create(CredentialStore store, SigningKeys keys, RequestLog log) {
        return application(store, keys, log).api();
    }

    public static TokenIssuerApi create(CredentialStore store) {
        return create(store, LocalSigningKeys.rsa(), RequestLog.none());
    }
}
