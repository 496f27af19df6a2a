package dev.tokenissuer.admin;

import dev.tokenissuer.http.JsonValues;
import dev.tokenissuer.store.TokenPolicy;
import dev.tokenissuer.token.CustomClaims;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A service user's token policy as the operator writes it: {@code --token-lifetime SECONDS}, {@code NAME=VALUE}
 * string claims and {@code NAME=JSON} claims, checked against {@link CustomClaims} and the deployment's maximum
 * (tokenctl reads TOKEN_MAX_TTL_SECONDS as the function does). Every refusal names the limit.
 */
final class TokenPolicies {

    private TokenPolicies() {
    }

    /** A lifetime in whole seconds, at most {@code max}. */
    static Duration lifetime(String seconds, Duration max) {
        long value;
        try {
            value = Long.parseLong(seconds.trim());
        } catch (NumberFormatException e) {
            throw new AdminException("the token lifetime must be a whole number of seconds, not '" + seconds + "'");
        }
        Duration lifetime = Duration.ofSeconds(value);
        CustomClaims.whyNotLifetime(lifetime, max).ifPresent(reason -> {
            throw new AdminException(reason);
        });
        return lifetime;
    }

    /** {@code NAME=VALUE} strings and {@code NAME=JSON} values together; a name given twice is refused. */
    static Map<String, Object> claims(List<String> strings, List<String> json) {
        Map<String, Object> claims = new LinkedHashMap<>();
        for (String assignment : strings) {
            put(claims, name(assignment), value(assignment));
        }
        for (String assignment : json) {
            put(claims, name(assignment), parse(name(assignment), value(assignment)));
        }
        CustomClaims.whyNot(claims).ifPresent(reason -> {
            throw new AdminException("the claims cannot be stored: " + reason);
        });
        return claims;
    }

    static TokenPolicy policy(Optional<String> lifetime, Duration max, List<String> strings, List<String> json) {
        return new TokenPolicy(lifetime.map(seconds -> lifetime(seconds, max)), claims(strings, json));
    }

    /** What {@code serviceuser get} shows of a policy. */
    static void putInto(Map<String, Object> json, TokenPolicy policy) {
        json.put("token_lifetime_seconds", policy.lifetime().map(Duration::toSeconds).orElse(null));
        json.put("claims", policy.claims());
    }

    private static void put(Map<String, Object> claims, String name, Object value) {
        if (claims.containsKey(name)) {
            throw new AdminException("claim '" + name + "' is given twice");
        }
        claims.put(name, value);
    }

    private static String name(String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            throw new AdminException("a claim is written NAME=VALUE, not '" + assignment + "'");
        }
        return assignment.substring(0, eq);
    }

    private static String value(String assignment) {
        return assignment.substring(assignment.indexOf('=') + 1);
    }

    private static Object parse(String name, String json) {
        try {
            return JsonValues.read(json.getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            throw new AdminException("claim '" + name + "' is not one JSON value (write a string as \"...\" or use "
                    + "--claim)");
        }
    }
}
