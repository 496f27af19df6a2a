package dev.tokenissuer.store;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static dev.tokenissuer.store.TableSchema.TTL_ATTRIBUTE;
import static dev.tokenissuer.store.TableSchema.VALID_UNTIL;

/**
 * How long a credential item (a client secret, a public key) may be used, the one place its two attributes are
 * written and read: {@link TableSchema#VALID_UNTIL}, after which the token endpoint refuses it, and the table's TTL
 * attribute {@link TableSchema#TTL_ATTRIBUTE} (the one replay records use) set {@link #TTL_GRACE} later, after which
 * DynamoDB deletes the item. The grace keeps an expired credential listed by tokenctl, and refused with its own reason
 * ({@code credential_expired}) rather than as an unknown client, for a while.
 */
public final class CredentialValidity {

    /** How long after its expiry an expired credential's item stays before DynamoDB's TTL may delete it. */
    public static final Duration TTL_GRACE = Duration.ofDays(30);

    private CredentialValidity() {
    }

    /** Puts both attributes on {@code item}; none when the credential does not expire. */
    static void putInto(Map<String, AttributeValue> item, Optional<Instant> validUntil) {
        validUntil.ifPresent(until -> item.putAll(attributes(until)));
    }

    /** Both attributes of a credential valid until {@code until}, by name: for an item, or an update's SET. */
    public static Map<String, AttributeValue> attributes(Instant until) {
        return Map.of(VALID_UNTIL, AttributeValue.fromN(Long.toString(until.getEpochSecond())),
                TTL_ATTRIBUTE, AttributeValue.fromN(Long.toString(until.plus(TTL_GRACE).getEpochSecond())));
    }

    /** When the credential {@code item} holds stops working; empty when it does not expire. */
    static Optional<Instant> from(Map<String, AttributeValue> item) {
        AttributeValue value = item.get(VALID_UNTIL);
        return value == null || value.n() == null ? Optional.empty()
                : Optional.of(Instant.ofEpochSecond(Long.parseLong(value.n())));
    }

    /** Whether a credential valid until {@code validUntil} is expired at {@code now}. */
    public static boolean isExpired(Optional<Instant> validUntil, Instant now) {
        return validUntil.isPresent() && !now.isBefore(validUntil.get());
    }
}
