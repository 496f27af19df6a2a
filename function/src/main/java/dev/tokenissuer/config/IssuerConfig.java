package dev.tokenissuer.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The function's configuration, read once per container from environment variables. Every variable has a default
 * that works with {@code make run}; the template sets them for a deployment.
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><th>variable</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>TABLE_NAME</td><td>token-issuer</td><td>the DynamoDB table</td></tr>
 *   <tr><td>SIGNING_KEY_ID</td><td>alias/token-issuer-signing</td><td>KMS key id, ARN or alias that signs</td></tr>
 *   <tr><td>TOKEN_ISSUER</td><td>PUBLIC_BASE_URL, else the base URL each request reached (API Gateway's
 *   domain), else token-issuer</td><td>the tokens' {@code iss} and the
 *   metadata's {@code issuer}, at most {@value #MAX_ISSUER_LENGTH} characters; discovery clients (RFC 8414 §3.3)
 *   need it to be the URL they fetch the metadata from</td></tr>
 *   <tr><td>TOKEN_TTL_SECONDS</td><td>3600</td><td>token lifetime</td></tr>
 *   <tr><td>TOKEN_MAX_TTL_SECONDS</td><td>TOKEN_TTL_SECONDS</td><td>the longest token lifetime a
 *   service user may be given of its own ({@code tokenctl serviceuser set-token-lifetime}); signing-key rotation waits
 *   this long for the last tokens of a retired key</td></tr>
 *   <tr><td>TOKEN_AUDIENCE</td><td>(none)</td><td>comma-separated {@code aud} values, at most
 *   {@value #MAX_AUDIENCE_LENGTH} characters in all</td></tr>
 *   <tr><td>JWKS_MAX_AGE_SECONDS</td><td>300</td><td>upper bound of the JWKS's {@code Cache-Control: max-age}
 *   (which is also at most the refresh interval)</td></tr>
 *   <tr><td>SIGNING_KEYS_REFRESH_SECONDS</td><td>60</td><td>how often a running function re-reads which key signs
 *   (the alias) and which keys the JWKS publishes (the verification set)</td></tr>
 *   <tr><td>PUBLIC_BASE_URL</td><td>(none)</td><td>the API's public URL, e.g. https://auth.example.com; the
 *   token endpoint URL (an accepted assertion audience) and discovery metadata derive from it</td></tr>
 *   <tr><td>ASSERTION_AUDIENCE</td><td>(none)</td><td>comma-separated {@code aud} values a jwt-bearer assertion
 *   may carry besides TOKEN_ISSUER and the token endpoint URL</td></tr>
 *   <tr><td>ASSERTION_REQUIRE_AUDIENCE</td><td>false</td><td>whether an assertion must carry {@code aud}</td></tr>
 *   <tr><td>ASSERTION_CLOCK_SKEW_SECONDS</td><td>60</td><td>leeway for an assertion's {@code exp}, {@code nbf}
 *   and {@code iat}</td></tr>
 *   <tr><td>ASSERTION_MAX_LIFETIME_SECONDS</td><td>43200</td><td>the longest an assertion may live,
 *   {@code exp - max(iat, now)}; 12 hours because Frontier's Go SDK signs for that long, and the single-use
 *   {@code jti} limits a stolen assertion to one token however long it lives</td></tr>
 *   <tr><td>AWS_ENDPOINT_URL</td><td>(AWS)</td><td>send KMS and DynamoDB calls here instead: moto,
 *   LocalStack</td></tr>
 *   <tr><td>METRICS_NAMESPACE</td><td>TokenIssuer</td><td>the CloudWatch namespace of the function's metrics
 *   (the template sets TokenIssuer/&lt;stack name&gt;, so two stacks in one account do not add up)</td></tr>
 *   <tr><td>AWS_CALL_TIMEOUT_MILLIS</td><td>3000</td><td>the most one KMS or DynamoDB call may take, retries
 *   included</td></tr>
 * </table>
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
        Duration tokenMaxTtl) {

    /** The issuer when neither TOKEN_ISSUER nor PUBLIC_BASE_URL is set and a request names no usable host. */
    public static final String FALLBACK_ISSUER = "token-issuer";

    /**
     * The longest {@code TOKEN_ISSUER}, and the longest {@code TOKEN_AUDIENCE} (all values together), in characters.
     * Both go into every token; the bounds are generous for URLs and keep a token's size bounded.
     */
    public static final int MAX_ISSUER_LENGTH = 1024;
    public static final int MAX_AUDIENCE_LENGTH = 1024;
    public static final String DEFAULT_METRICS_NAMESPACE = "TokenIssuer";
    /** CloudWatch's bound on a namespace. */
    public static final int MAX_METRICS_NAMESPACE_LENGTH = 255;

    public static IssuerConfig fromEnvironment() {
        return from(System.getenv());
    }

    public static IssuerConfig from(Map<String, String> env) {
        Optional<URI> publicBaseUrl = url(env, "PUBLIC_BASE_URL", "https://auth.example.com");
        return new IssuerConfig(
                text(env, "TABLE_NAME", "token-issuer"),
                text(env, "SIGNING_KEY_ID", "alias/token-issuer-signing"),
                // Discovery clients accept only an issuer equal to the URL they fetched the metadata from.
                bounded(env, "TOKEN_ISSUER", MAX_ISSUER_LENGTH,
                        text(env, "TOKEN_ISSUER", publicBaseUrl.map(URI::toString).orElse(FALLBACK_ISSUER))),
                Duration.ofSeconds(number(env, "TOKEN_TTL_SECONDS", 3600, 60, 86_400)),
                bounded(env, "TOKEN_AUDIENCE", MAX_AUDIENCE_LENGTH, list(env, "TOKEN_AUDIENCE")),
                (int) number(env, "JWKS_MAX_AGE_SECONDS", 300, 0, 86_400),
                Duration.ofMillis(number(env, "AWS_CALL_TIMEOUT_MILLIS", 3000, 100, 60_000)),
                url(env, "AWS_ENDPOINT_URL", "http://127.0.0.1:4566"),
                publicBaseUrl,
                list(env, "ASSERTION_AUDIENCE"),
                bool(env, "ASSERTION_REQUIRE_AUDIENCE", false),
                Duration.ofSeconds(number(env, "ASSERTION_CLOCK_SKEW_SECONDS", 60, 0, 600)),
                // Frontier's Go SDK signs assertions valid for 12 hours: its clients must work by default. A stolen
                // long-lived assertion still buys one token only, as each jti is single use.
                Duration.ofSeconds(number(env, "ASSERTION_MAX_LIFETIME_SECONDS", 43_200, 60, 86_400)),
                Duration.ofSeconds(number(env, "SIGNING_KEYS_REFRESH_SECONDS", 60, 1, 3600)),
                // Neither set: each request's own base URL, the API Gateway domain it reached (the template cannot
                // give the function its API's URL without a circular reference).
                text(env, "TOKEN_ISSUER", "").isEmpty() && publicBaseUrl.isEmpty(),
                metricsNamespace(env),
                tokenMaxTtl(env));
    }

    /**
     * The longest a service user's own token lifetime may be; at least TOKEN_TTL_SECONDS, so every service user may
     * keep the deployment's. By default that is all it may be: a service user's lifetime can shorten the deployment's,
     * and lengthen it only as far as the operator allowed.
     */
    private static Duration tokenMaxTtl(Map<String, String> env) {
        long ttl = number(env, "TOKEN_TTL_SECONDS", 3600, 60, 86_400);
        long max = number(env, "TOKEN_MAX_TTL_SECONDS", ttl, 60, 86_400);
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

    /**
     * An absolute http(s) URL. The SDK reads {@code AWS_ENDPOINT_URL} by itself; reading it here too makes the
     * setting explicit, testable with a map instead of the process environment, and checked at start.
     */
    private static Optional<URI> url(Map<String, String> env, String name, String example) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(value.trim());
            if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    || uri.getHost() == null) {
                throw new URISyntaxException(value, "not an absolute http(s) URL");
            }
            String path = uri.getPath() == null ? "" : uri.getPath();
            return Optional.of(path.endsWith("/") ? URI.create(value.trim().replaceAll("/+$", "")) : uri);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(name + " must be a URL like " + example + ", not '" + value + "'");
        }
    }

    /** CloudWatch refuses a longer namespace, and with it every metric line. */
    private static String metricsNamespace(Map<String, String> env) {
        String namespace = text(env, "METRICS_NAMESPACE", DEFAULT_METRICS_NAMESPACE);
        if (namespace.length() > MAX_METRICS_NAMESPACE_LENGTH) {
            throw new IllegalArgumentException("METRICS_NAMESPACE is " + namespace.length() + " characters long; at most "
                    + MAX_METRICS_NAMESPACE_LENGTH + " are allowed");
        }
        return namespace;
    }

    /** The value, if the variable (as set) is at most {@code max} characters long. */
    private static <T> T bounded(Map<String, String> env, String name, int max, T value) {
        String raw = text(env, name, "");
        int length = raw.codePointCount(0, raw.length());
        if (length > max) {
            throw new IllegalArgumentException(name + " is " + length + " characters long; at most " + max
                    + " are allowed, because it goes into every token");
        }
        return value;
    }

    /** Comma-separated values, trimmed, empty ones dropped. */
    private static List<String> list(Map<String, String> env, String name) {
        return Arrays.stream(text(env, name, "").split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    private static boolean bool(Map<String, String> env, String name, boolean fallback) {
        String value = text(env, name, Boolean.toString(fallback));
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException(name + " must be true or false, not '" + value + "'");
    }

    private static String text(Map<String, String> env, String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static long number(Map<String, String> env, String name, long fallback, long min, long max) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not '" + value + "'");
        }
        if (parsed < min || parsed > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", not " + parsed);
        }
        return parsed;
    }
}
