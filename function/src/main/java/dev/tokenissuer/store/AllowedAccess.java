package dev.tokenissuer.store;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.List;
import java.util.Map;

import static dev.tokenissuer.store.TableSchema.ALLOWED_AUDIENCES;
import static dev.tokenissuer.store.TableSchema.ALLOWED_SCOPES;

/**
 * What a service user's tokens may carry: the scopes it may be granted and the audiences (resources) it may name,
 * and its own {@link TokenPolicy} (lifetime, static claims). Kept on the service user item and copied onto each of
 * its credential items, as its org and state are, so one read answers a token request. This record is the one place
 * these attributes are written and read, for every item that carries them. An item written before they existed
 * reads as {@link #NONE}.
 *
 * @param scopes    sorted, without duplicates
 * @param audiences sorted, without duplicates
 * @param policy    the service user's token lifetime and claims
 */
public record AllowedAccess(List<String> scopes, List<String> audiences, TokenPolicy policy) {

    /** Neither scopes nor audiences nor a policy: the token is exactly a Frontier token. */
    public static final AllowedAccess NONE = new AllowedAccess(List.of(), List.of());

    public AllowedAccess {
        scopes = scopes.stream().distinct().sorted().toList();
        audiences = audiences.stream().distinct().sorted().toList();
        java.util.Objects.requireNonNull(policy, "policy");
    }

    /** Scopes and audiences under the deployment's token policy. */
    public AllowedAccess(List<String> scopes, List<String> audiences) {
        this(scopes, audiences, TokenPolicy.NONE);
    }

    public AllowedAccess withScopes(List<String> newScopes) {
        return new AllowedAccess(newScopes, audiences, policy);
    }

    public AllowedAccess withAudiences(List<String> newAudiences) {
        return new AllowedAccess(scopes, newAudiences, policy);
    }

    public AllowedAccess withPolicy(TokenPolicy newPolicy) {
        return new AllowedAccess(scopes, audiences, newPolicy);
    }

    /** Puts both sets and the policy on {@code item}; an empty set is no attribute, as DynamoDB refuses empty sets. */
    void putInto(Map<String, AttributeValue> item) {
        putSet(item, ALLOWED_SCOPES, scopes);
        putSet(item, ALLOWED_AUDIENCES, audiences);
        policy.putInto(item);
    }

    /** The sets and policy {@code item} carries; missing attributes are empty sets and no policy. */
    static AllowedAccess from(Map<String, AttributeValue> item) {
        return new AllowedAccess(set(item, ALLOWED_SCOPES), set(item, ALLOWED_AUDIENCES), TokenPolicy.from(item));
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
