package dev.tokenissuer.token;

import dev.tokenissuer.http.JsonValues;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The static claims a service user's tokens may carry besides the ones {@link AccessTokenIssuer} writes, and the
 * bounds of a service user's own token lifetime: the one place that decides which are allowed, for {@code tokenctl}
 * (which refuses the rest) and the token builder (which never lets one replace a claim of its own).
 */
public final class CustomClaims {

    /**
     * Every claim name {@link AccessTokenIssuer} may write (a test issues a token with every option on and checks its
     * claims are all here), and the ones other token profiles give a meaning a resource server may act on: RFC 7519's
     * registered names, RFC 9068's {@code auth_time}, {@code acr}, {@code amr}, RFC 8693's {@code act} and
     * {@code may_act}, OpenID Connect's {@code azp}, {@code nonce}, {@code at_hash}.
     */
    public static final Set<String> RESERVED = Set.of(
            "iss", "sub", "aud", "exp", "nbf", "iat", "jti",
            "scope", "cnf", "client_id", "kid", "gen", "sub_type", "org_ids", "auth_via",
            "auth_time", "acr", "amr", "act", "may_act", "azp", "nonce", "at_hash");

    public static final int MAX_CLAIMS = 16;
    public static final int MAX_NAME_LENGTH = 64;
    /** All claims together, written as a JSON object: a token travels in a header, and it is in every one. */
    public static final int MAX_JSON_BYTES = 2048;
    /** Nesting of arrays and objects in one value; DynamoDB stores at most 32 levels. */
    public static final int MAX_DEPTH = 4;
    /** The shortest lifetime a service user may be given, as TOKEN_TTL_SECONDS's lower bound. */
    public static final Duration MIN_LIFETIME = Duration.ofSeconds(60);

    /** A letter or underscore, then letters, digits and {@code _ . - : /} (so URIs may serve as collision-proof names). */
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.:/-]*");
    private static final Set<String> RESERVED_LOWER_CASE = RESERVED.stream()
            .map(name -> name.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());

    private CustomClaims() {
    }

    /** Whether the token builder owns {@code name}; names differing from one only in case count as it, to avoid confusion. */
    public static boolean isReserved(String name) {
        return RESERVED_LOWER_CASE.contains(name.toLowerCase(Locale.ROOT));
    }

    /** Why {@code name} cannot be a custom claim's name, if it cannot. */
    public static Optional<String> whyNotName(String name) {
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            return Optional.of("claim name '" + printable(name) + "' must be 1 to " + MAX_NAME_LENGTH
                    + " characters long");
        }
        if (!NAME.matcher(name).matches()) {
            return Optional.of("claim name '" + printable(name) + "' must start with a letter or _ and hold only "
                    + "letters, digits and _ . - : /");
        }
        if (isReserved(name)) {
            return Optional.of("claim name '" + name + "' is reserved: the token carries it already (reserved: "
                    + RESERVED.stream().sorted().collect(Collectors.joining(", ")) + ")");
        }
        return Optional.empty();
    }

    /** Why these claims cannot be stored, naming the limit broken; empty when they can. */
    public static Optional<String> whyNot(Map<String, Object> claims) {
        if (claims.size() > MAX_CLAIMS) {
            return Optional.of(claims.size() + " claims; at most " + MAX_CLAIMS + " are allowed");
        }
        for (Map.Entry<String, Object> claim : claims.entrySet()) {
            Optional<String> name = whyNotName(claim.getKey());
            if (name.isPresent()) {
                return name;
            }
            if (depth(claim.getValue()) > MAX_DEPTH) {
                return Optional.of("claim '" + claim.getKey() + "' nests arrays and objects more than " + MAX_DEPTH
                        + " deep");
            }
        }
        int bytes = JsonValues.write(claims).getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_JSON_BYTES) {
            return Optional.of("the claims are " + bytes + " bytes as JSON; at most " + MAX_JSON_BYTES
                    + " are allowed");
        }
        return Optional.empty();
    }

    /** Why {@code lifetime} cannot be a service user's token lifetime under a deployment maximum of {@code max}. */
    public static Optional<String> whyNotLifetime(Duration lifetime, Duration max) {
        if (lifetime.compareTo(MIN_LIFETIME) < 0 || lifetime.compareTo(max) > 0) {
            return Optional.of("the token lifetime must be between " + MIN_LIFETIME.toSeconds() + " and "
                    + max.toSeconds() + " seconds (the deployment's maximum, TOKEN_MAX_TTL_SECONDS), not "
                    + lifetime.toSeconds());
        }
        return Optional.empty();
    }

    private static int depth(Object value) {
        if (value instanceof Map<?, ?> object) {
            return 1 + object.values().stream().mapToInt(CustomClaims::depth).max().orElse(0);
        }
        if (value instanceof Collection<?> array) {
            return 1 + array.stream().mapToInt(CustomClaims::depth).max().orElse(0);
        }
        return 0;
    }

    private static String printable(String name) {
        String shown = name.length() > MAX_NAME_LENGTH ? name.substring(0, MAX_NAME_LENGTH) + "..." : name;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
