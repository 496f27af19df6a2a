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
 * An OIDC issuer an operator registered ({@code tokenctl federation add-issuer}): only tokens of registered issuers
 * are exchanged, and only their discovery documents are ever fetched.
 *
 * @param requiredAudience the {@code aud} its tokens must carry
 */
public record OidcIssuerItem(String issuer, String requiredAudience, String createdAt) {

    public static String partitionKey(String issuer) {
        return oidcIssuerKey(issuer);
    }

    public static Map<String, AttributeValue> key(String issuer) {
        return Attributes.key(partitionKey(issuer));
    }

    public Map<String, AttributeValue> toItem() {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put(PARTITION_KEY, AttributeValue.fromS(partitionKey(issuer)));
        item.put(TYPE, AttributeValue.fromS(TYPE_OIDC_ISSUER));
        putString(item, ISSUER, issuer);
        putString(item, REQUIRED_AUDIENCE, requiredAudience);
        putString(item, CREATED_AT, createdAt);
        return item;
    }

    public static Optional<OidcIssuerItem> fromItem(Map<String, AttributeValue> item) {
        if (!isOfType(item, TYPE_OIDC_ISSUER)) {
            return Optional.empty();
        }
        return Optional.of(new OidcIssuerItem(string(item, ISSUER), string(item, REQUIRED_AUDIENCE),
                string(item, CREATED_AT)));
    }
}
