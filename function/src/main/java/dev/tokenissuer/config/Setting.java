package dev.tokenissuer.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The environment variables the function and {@code tokenctl} read, each with its default, its range and what it
 * means: the one table {@link IssuerConfig#from} reads them by. {@code SettingsDocumentedTest} holds the settings
 * tables of docs/api.md and docs/operations.md and the template's parameters and environment against it.
 *
 * <p>A new setting is a new row here (its reader picks the kind: {@link #text}, {@link #number}, {@link #bool},
 * {@link #list}, {@link #url}), read in {@link IssuerConfig#from}, and a row in docs/api.md's table.
 */
public enum Setting {
    TABLE_NAME("token-issuer", "the DynamoDB table"),
    SIGNING_KEY_ID("alias/token-issuer-signing", "KMS key id, ARN or alias that signs tokens"),
    TOKEN_ISSUER(null, "the tokens' iss and the metadata's issuer, at most " + Setting.MAX_ISSUER_LENGTH
            + " characters; unset: PUBLIC_BASE_URL, else the base URL each request reached (API Gateway's domain),"
            + " else token-issuer. Discovery clients (RFC 8414 §3.3) need it to be the URL they fetch the metadata"
            + " from"),
    TOKEN_TTL_SECONDS(3600, 60, 86_400, "token lifetime"),
    TOKEN_MAX_TTL_SECONDS(null, 60, 86_400, true, "the longest token lifetime a service user may be given of its own"
            + " (tokenctl serviceuser set-token-lifetime); unset: TOKEN_TTL_SECONDS. Signing-key rotation waits this"
            + " long for the last tokens of a retired key"),
    TOKEN_AUDIENCE(null, "comma-separated aud values, at most " + Setting.MAX_AUDIENCE_LENGTH + " characters in all"),
    ACCESS_TOKEN_PROFILE("frontier", "frontier: typ JWT, aud when known; rfc9068: RFC 9068's typ at+jwt and always"
            + " an aud"),
    JWKS_MAX_AGE_SECONDS(300, 0, 86_400, "upper bound of the JWKS's Cache-Control: max-age (which is also at most"
            + " the refresh interval)"),
    SIGNING_KEYS_REFRESH_SECONDS(60, 1, 3600, "how often a running function re-reads which key signs (the alias)"
            + " and which keys the JWKS publishes (the verification set)"),
    METRICS_NAMESPACE("TokenIssuer", "the CloudWatch namespace of the function's metrics, at most "
            + Setting.MAX_METRICS_NAMESPACE_LENGTH + " characters (the template sets TokenIssuer/<stack name>, so two"
            + " stacks in one account do not add up)"),
    PUBLIC_BASE_URL(null, "the API's public URL, e.g. https://auth.example.com; the token endpoint URL (an accepted"
            + " assertion audience) and the discovery metadata derive from it"),
    ASSERTION_AUDIENCE(null, "comma-separated aud values a jwt-bearer assertion may carry besides TOKEN_ISSUER and"
            + " the token endpoint URL"),
    ASSERTION_REQUIRE_AUDIENCE(false, "whether an assertion must carry aud"),
    ASSERTION_CLOCK_SKEW_SECONDS(60, 0, 600, "leeway for an assertion's exp, nbf and iat"),
    // Frontier's Go SDK signs assertions valid for 12 hours: its clients must work by default. A stolen long-lived
    // assertion still buys one token only, as each jti is single use.
    ASSERTION_MAX_LIFETIME_SECONDS(43_200, 60, 86_400, "the longest an assertion may live, exp - max(iat, now)"),
    AWS_CALL_TIMEOUT_MILLIS(3000, 100, 60_000, "the most one KMS or DynamoDB call may take, retries included"),
    AWS_ENDPOINT_URL(null, "send KMS and DynamoDB calls here instead: moto, LocalStack"),
    REPLAY_REGION(null, "the region whose table replica holds every replay record (the jti of assertions and DPoP"
            + " proofs); unset: AWS_REGION. Several regions: the primary, so each is accepted once across all"),
    PRIMARY_REGION(null, "tokenctl only: the region it writes to and creates keys in; unset: AWS_REGION"),
    REPLICA_REGIONS(null, "tokenctl only: comma-separated regions it replicates every new signing key to");

    /**
     * The longest {@code TOKEN_ISSUER}, and the longest {@code TOKEN_AUDIENCE} (all values together), in characters.
     * Both go into every token; the bounds are generous for URLs and keep a token's size bounded.
     */
    public static final int MAX_ISSUER_LENGTH = 1024;
    public static final int MAX_AUDIENCE_LENGTH = 1024;
    /** CloudWatch's bound on a namespace. */
    public static final int MAX_METRICS_NAMESPACE_LENGTH = 255;

    private final String defaultValue;
    private final long min;
    private final long max;
    private final boolean numeric;
    private final String description;

    Setting(String defaultValue, String description) {
        this(defaultValue, 0, 0, false, description);
    }

    Setting(boolean defaultValue, String description) {
        this(Boolean.toString(defaultValue), 0, 0, false, description);
    }

    Setting(long defaultValue, long min, long max, String description) {
        this(Long.toString(defaultValue), min, max, true, description);
    }

    Setting(String defaultValue, long min, long max, boolean numeric, String description) {
        this.defaultValue = defaultValue;
        this.min = min;
        this.max = max;
        this.numeric = numeric;
        this.description = description;
    }

    /** What an unset (or blank) variable means, when that is a value; empty when unset means none, or is derived. */
    public Optional<String> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /** Whether the value is a whole number within {@link #min()}..{@link #max()}. */
    public boolean numeric() {
        return numeric;
    }

    public long min() {
        return min;
    }

    public long max() {
        return max;
    }

    public String description() {
        return description;
    }

    /** The value as set, trimmed; empty when unset or blank. */
    public Optional<String> raw(Map<String, String> env) {
        String value = env.get(name());
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    /** The value as set, else the default ("" for a setting without one). */
    public String text(Map<String, String> env) {
        return raw(env).orElse(defaultValue == null ? "" : defaultValue);
    }

    /** The value as set, else {@code fallback}: for a setting whose default is derived from others. */
    public String text(Map<String, String> env, String fallback) {
        return raw(env).orElse(fallback);
    }

    public long number(Map<String, String> env) {
        if (!numeric) {
            throw new IllegalStateException(name() + " is not a number");
        }
        String value = text(env);
        long parsed;
        try {
            parsed = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name() + " must be a whole number, not '" + env.get(name()) + "'");
        }
        if (parsed < min || parsed > max) {
            throw new IllegalArgumentException(name() + " must be between " + min + " and " + max + ", not " + parsed);
        }
        return parsed;
    }

    /** One of {@code allowed}, in lower case; unset, the default. */
    public String oneOf(Map<String, String> env, String... allowed) {
        String value = text(env).toLowerCase(java.util.Locale.ROOT);
        if (!Arrays.asList(allowed).contains(value)) {
            throw new IllegalArgumentException(name() + " must be one of " + String.join(", ", allowed) + ", not '"
                    + env.get(name()) + "'");
        }
        return value;
    }

    public boolean bool(Map<String, String> env) {
        String value = text(env);
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException(name() + " must be true or false, not '" + value + "'");
    }

    /** Comma-separated values, trimmed, empty ones dropped. */
    public List<String> list(Map<String, String> env) {
        return Arrays.stream(text(env).split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    /**
     * An absolute http(s) URL without a trailing slash. The SDK reads {@code AWS_ENDPOINT_URL} by itself; reading it
     * here too makes the setting explicit, testable with a map instead of the process environment, and checked at
     * start.
     */
    public Optional<URI> url(Map<String, String> env, String example) {
        Optional<String> value = raw(env);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(value.get());
            if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    || uri.getHost() == null) {
                throw new URISyntaxException(value.get(), "not an absolute http(s) URL");
            }
            String path = uri.getPath() == null ? "" : uri.getPath();
            return Optional.of(path.endsWith("/") ? URI.create(value.get().replaceAll("/+$", "")) : uri);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(name() + " must be a URL like " + example + ", not '" + env.get(name())
                    + "'");
        }
    }

    /** The value, if the variable (as set) is at most {@code max} characters long. */
    public <T> T bounded(Map<String, String> env, int maxLength, String why, T value) {
        String raw = raw(env).orElse("");
        int length = raw.codePointCount(0, raw.length());
        if (length > maxLength) {
            throw new IllegalArgumentException(name() + " is " + length + " characters long; at most " + maxLength
                    + " are allowed" + why);
        }
        return value;
    }
}
