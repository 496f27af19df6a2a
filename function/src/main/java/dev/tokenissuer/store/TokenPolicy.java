package dev.tokenissuer.store;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static dev.tokenissuer.store.TableSchema.TOKEN_CLAIMS;
import static dev.tokenissuer.store.TableSchema.TOKEN_LIFETIME_SECONDS;

/**
 * A service user's own token policy: a lifetime for its tokens (else the deployment's) and static claims every token
 * of it carries. Kept on the service user item and copied onto each of its credential items with its
 * {@link AllowedAccess}, so one read still answers a token request. This record is the one place the two attributes
 * are written and read. The claims are stored as a DynamoDB map of their JSON values (strings, numbers, booleans,
 * null, lists, maps), so the console shows them as they are and reading them parses no JSON text. Which names and
 * sizes are allowed is decided where tokens are built ({@code token.CustomClaims}); this record only carries them.
 *
 * @param lifetime the tokens' lifetime; empty means the deployment's {@code TOKEN_TTL_SECONDS}
 * @param claims   claim name to JSON value ({@code String}, {@code BigDecimal}, {@code Boolean}, {@code null},
 *                 {@code List}, {@code Map}), sorted by name
 */
public record TokenPolicy(Optional<Duration> lifetime, Map<String, Object> claims) {

    /** No lifetime of its own and no claims: tokens as the deployment makes them. */
    public static final TokenPolicy NONE = new TokenPolicy(Optional.empty(), Map.of());

    public TokenPolicy {
        java.util.Objects.requireNonNull(lifetime, "lifetime");
        claims = Collections.unmodifiableMap(new TreeMap<>(claims));
    }

    public TokenPolicy withLifetime(Optional<Duration> newLifetime) {
        return new TokenPolicy(newLifetime, claims);
    }

    public TokenPolicy withClaims(Map<String, Object> newClaims) {
        return new TokenPolicy(lifetime, newClaims);
    }

    /** The stored lifetime attribute, for an update; null when there is none, which is a REMOVE. */
    public AttributeValue lifetimeAttribute() {
        return lifetime.map(value -> AttributeValue.fromN(Long.toString(value.toSeconds()))).orElse(null);
    }

    /** The stored claims attribute, for an update; null when there are none, which is a REMOVE. */
    public AttributeValue claimsAttribute() {
        if (claims.isEmpty()) {
            return null;
        }
        Map<String, AttributeValue> map = new LinkedHashMap<>();
        claims.forEach((name, value) -> map.put(name, attribute(value)));
        return AttributeValue.fromM(map);
    }

    void putInto(Map<String, AttributeValue> item) {
        AttributeValue lifetimeValue = lifetimeAttribute();
        if (lifetimeValue != null) {
            item.put(TOKEN_LIFETIME_SECONDS, lifetimeValue);
        }
        AttributeValue claimsValue = claimsAttribute();
        if (claimsValue != null) {
            item.put(TOKEN_CLAIMS, claimsValue);
        }
    }

    /** The policy {@code item} carries; an item written before policies existed reads as {@link #NONE}. */
    static TokenPolicy from(Map<String, AttributeValue> item) {
        AttributeValue lifetimeValue = item.get(TOKEN_LIFETIME_SECONDS);
        AttributeValue claimsValue = item.get(TOKEN_CLAIMS);
        Optional<Duration> lifetime = lifetimeValue == null || lifetimeValue.n() == null ? Optional.empty()
                : Optional.of(Duration.ofSeconds(Long.parseLong(lifetimeValue.n())));
        Map<String, Object> claims = new LinkedHashMap<>();
        if (claimsValue != null && claimsValue.hasM()) {
            claimsValue.m().forEach((name, value) -> claims.put(name, json(value)));
        }
        return lifetime.isEmpty() && claims.isEmpty() ? NONE : new TokenPolicy(lifetime, claims);
    }

    private static AttributeValue attribute(Object value) {
        if (value == null) {
            return AttributeValue.fromNul(true);
        }
        if (value instanceof String text) {
            return AttributeValue.fromS(text);
        }
        if (value instanceof Boolean bool) {
            return AttributeValue.fromBool(bool);
        }
        if (value instanceof Number number) {
            return AttributeValue.fromN(new BigDecimal(number.toString()).toString());
        }
        if (value instanceof Map<?, ?> object) {
            Map<String, AttributeValue> map = new LinkedHashMap<>();
            object.forEach((name, member) -> map.put(String.valueOf(name), attribute(member)));
            return AttributeValue.fromM(map);
        }
        if (value instanceof Collection<?> array) {
            // A list, not a set: JSON arrays keep their order and may repeat or mix types.
            return AttributeValue.fromL(array.stream().map(TokenPolicy::attribute).toList());
        }
        throw new IllegalArgumentException("not a JSON value: " + value.getClass().getSimpleName());
    }

    private static Object json(AttributeValue value) {
        if (Boolean.TRUE.equals(value.nul())) {
            return null;
        }
        if (value.s() != null) {
            return value.s();
        }
        if (value.n() != null) {
            return new BigDecimal(value.n());
        }
        if (value.bool() != null) {
            return value.bool();
        }
        if (value.hasM()) {
            Map<String, Object> object = new LinkedHashMap<>();
            value.m().forEach((name, member) -> object.put(name, json(member)));
            return object;
        }
        if (value.hasL()) {
            List<Object> array = new ArrayList<>();
            value.l().forEach(element -> array.add(json(element)));
            return array;
        }
        throw new IllegalStateException("a stored token claim is of a type JSON does not have");
    }
}
