package dev.tokenissuer.store;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static dev.tokenissuer.store.Attributes.isOfType;
import static dev.tokenissuer.store.Attributes.putString;
import static dev.tokenissuer.store.Attributes.string;
import static dev.tokenissuer.store.TableSchema.*;

/**
 * A rule that trusts an AWS principal (an IAM role, whatever its session, or an IAM user) as a service user: the one
 * place its item is turned into attributes and back. {@code tokenctl federation trust-aws} writes it, the token
 * exchange reads it.
 *
 * @param principalArn {@code arn:PARTITION:iam::ACCOUNT:role/NAME} (no path: an assumed-role ARN carries none) or
 *                     an IAM user's ARN with its path
 */
public record AwsTrustItem(String principalArn, String ruleId, String serviceUserId, String orgId,
                           ServiceUserState state, String title, String createdAt, AllowedAccess allowed) {

    public static String partitionKey(String principalArn) {
        return awsTrustKey(principalArn);
    }

    public static Map<String, AttributeValue> key(String principalArn) {
        return Attributes.key(partitionKey(principalArn));
    }

    public Map<String, AttributeValue> toItem() {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put(PARTITION_KEY, AttributeValue.fromS(partitionKey(principalArn)));
        item.put(TYPE, AttributeValue.fromS(TYPE_AWS_TRUST));
        putString(item, PRINCIPAL_ARN, principalArn);
        putString(item, RULE_ID, ruleId);
        new CredentialCopies(serviceUserId, orgId, state, title, createdAt, allowed).putInto(item);
        return item;
    }

    public static Optional<AwsTrustItem> fromItem(Map<String, AttributeValue> item) {
        if (!isOfType(item, TYPE_AWS_TRUST)) {
            return Optional.empty();
        }
        CredentialCopies copies = CredentialCopies.from(item);
        return Optional.of(new AwsTrustItem(string(item, PRINCIPAL_ARN), string(item, RULE_ID),
                copies.serviceUserId(), copies.orgId(), copies.state(), copies.title(), copies.createdAt(),
                copies.allowed()));
    }

    public TrustTarget target() {
        return new TrustTarget(ruleId, serviceUserId, orgId, state, allowed);
    }
}
