package dev.tokenissuer.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The function's configuration, read once per container from environment variables. Every variable has a default
 * that works with {@code make run}; the template sets them for a deployment. {@link Setting} lists them, each with its
 * default, range and meaning.
 */
public record IssuerConfig(
        String tableName,
        String signingKeyId,
        String issuer,
        Duration tokenTtl,
        List<String> audience,
        int jwksMaxAgeSeconds,
        Duration awsCallTimeout,
        Optional<URI> awsEndpoint,
        Optional<URI> publicBaseUrl,
        List<String> assertionAudience,
        boolean assertionRequireAudience,
        Duration assertionClockSkew,
        Duration assertionMaxLifetime,
        Duration signingKeysRefresh,
        boolean issuerFromRequest,
        String metricsNamespace,
        String accessTokenProfile,
        Duration tokenMaxTtl) {

    /** The issuer when neither TOKEN_ISSUER nor PUBLIC_BASE_URL is set and a request names no usable host. */
    public static final String FALLBACK_ISSUER = "token-issuer";
    public static final String DEFAULT_METRICS_NAMESPACE = Setting.METRICS_NAMESPACE.defaultValue().orElseThrow();

    private static final String IN_EVERY_TOKEN = ", because it goes into every token";

    public static IssuerConfig fromEnvironment() {
        return from(System.getenv());
    }

    public static IssuerConfig from(Map<String, String> env) {
        Optional<URI> publicBaseUrl = Setting.PUBLIC_BASE_URL.url(env, "https://auth.example.com");
        return new IssuerConfig(
                Setting.TABLE_NAME.text(env),
                Setting.SIGNING_KEY_ID.text(env),
                // Discovery clients accept only an issuer equal to the URL they fetched the metadata from.
                Setting.TOKEN_ISSUER.bounded(env, Setting.MAX_ISSUER_LENGTH, IN_EVERY_TOKEN,
                        Setting.TOKEN_ISSUER.text(env, publicBaseUrl.map(URI::toString).orElse(FALLBACK_ISSUER))),
                Duration.ofSeconds(Setting.TOKEN_TTL_SECONDS.number(env)),
                Setting.TOKEN_AUDIENCE.bounded(env, Setting.MAX_AUDIENCE_LENGTH, IN_EVERY_TOKEN,
                        Setting.TOKEN_AUDIENCE.list(env)),
                (int) Setting.JWKS_MAX_AGE_SECONDS.number(env),
                Duration.ofMillis(Setting.AWS_CALL_TIMEOUT_MILLIS.number(env)),
                Setting.AWS_ENDPOINT_URL.url(env, "http://127.0.0.1:4566"),
                publicBaseUrl,
                Setting.ASSERTION_AUDIENCE.list(env),
                Setting.ASSERTION_REQUIRE_AUDIENCE.bool(env),
                Duration.ofSeconds(Setting.ASSERTION_CLOCK_SKEW_SECONDS.number(env)),
                Duration.ofSeconds(Setting.ASSERTION_MAX_LIFETIME_SECONDS.number(env)),
                Duration.ofSeconds(Setting.SIGNING_KEYS_REFRESH_SECONDS.number(env)),
                // Neither set: each request's own base URL, the API Gateway domain it reached (the template cannot
                // give the function its API's URL without a circular reference).
                Setting.TOKEN_ISSUER.raw(env).isEmpty() && publicBaseUrl.isEmpty(),
                // CloudWatch refuses a longer namespace, and with it every metric line.
                Setting.METRICS_NAMESPACE.bounded(env, Setting.MAX_METRICS_NAMESPACE_LENGTH, "",
                        Setting.METRICS_NAMESPACE.text(env)),
                Setting.ACCESS_TOKEN_PROFILE.oneOf(env, "frontier", "rfc9068"),
                tokenMaxTtl(env));
    }

    /**
     * The longest a service user's own token lifetime may be; at least TOKEN_TTL_SECONDS, so every service user may
     * keep the deployment's. By default that is all it may be: a service user's lifetime can shorten the deployment's,
     * and lengthen it only as far as the operator allowed.
     */
    private static Duration tokenMaxTtl(Map<String, String> env) {
        long ttl = Setting.TOKEN_TTL_SECONDS.number(env);
        long max = Setting.TOKEN_MAX_TTL_SECONDS.raw(env).isPresent() ? Setting.TOKEN_MAX_TTL_SECONDS.number(env) : ttl;
        if (max < ttl) {
            throw new IllegalArgumentException("TOKEN_MAX_TTL_SECONDS (" + max + ") must be at least TOKEN_TTL_SECONDS ("
                    + ttl + ")");
        }
        return Duration.ofSeconds(max);
    }

    /**
     * The JWKS's {@code max-age}: {@code JWKS_MAX_AGE_SECONDS}, but never longer than the refresh interval, so a
     * cache holds a JWKS no longer than the function itself holds the set it was built from.
     */
    public int jwksCacheMaxAgeSeconds() {
        return (int) Math.min(jwksMaxAgeSeconds, signingKeysRefresh.toSeconds());
    }
}
