package dev.tokenissuer.store;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.List;
import java.util.Map;

import static dev.tokenissuer.store.TableSchema.ALLOWED_AUDIENCES;
import static dev.tokenissuer.store.TableSchema.ALLOWED_SCOPES;

/**
 * What a service user's tokens may carry: the scopes it may be granted and the audiences (resources) it may name.
 * Kept on the service user item and copied onto each of its credential items, as its org and state are, so one read
 * answers a token request. This record is the one place the two attributes are written and read, for every item
 * that carries them. An item written before they existed reads as {@link #NONE}.
 *
 * @param scopes    sorted, without duplicates
 * @param audiences sorted, without duplicates
 */
public record AllowedAccess(List<String> scopes, List<String> audiences) {

    /** Neither scopes nor audiences: the token is exactly a Frontier token. */
    public static final AllowedAccess NONE = new AllowedAccess(List.of(), List.of());

    public AllowedAccess {
        scopes = scopes.stream().distinct().sorted().toList();
        audiences = audiences.stream().distinct().sorted().toList();
    }

    public AllowedAccess withScopes(List<String> newScopes) {
        return new AllowedAccess(newScopes, audiences);
    }

    public AllowedAccess withAudiences(List<String> newAudiences) {
        return new AllowedAccess(scopes, newAudiences);
    }

    /** Puts both sets on {@code item}; an empty set is no attribute, as DynamoDB refuses empty sets. */
    void putInto(Map<String, AttributeValue> item) {
        putSet(item, ALLOWED_SCOPES, scopes);
        putSet(item, ALLOWED_AUDIENCES, audiences);
    }

    /** The sets {@code item} carries; missing attributes are empty sets. */
    static AllowedAccess from(Map<String, AttributeValue> item) {
        return new AllowedAccess(set(item, ALLOWED_SCOPES), set(item, ALLOWED_AUDIENCES));
    }

    /** The attribute value that stores {@code values}, for an update; null for an empty set, which is a REMOVE. */
    public static AttributeValue attributeValue(List<String> values) {
        return values.isEmpty() ? null : AttributeValue.fromSs(values);
    }

    private static void putSet(Map<String, AttributeValue> item, String name, List<String> values) {
        if (!values.isEmpty()) {
            item.put(name, AttributeValue.fromSs(values));
        }
    }

    private static List<String> set(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || !value.hasSs() ? List.of() : value.ss();
    }
}
