package dev.tokenissuer.store;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static dev.tokenissuer.store.Attributes.isOfType;
import static dev.tokenissuer.store.Attributes.putString;
import static dev.tokenissuer.store.Attributes.string;
import static dev.tokenissuer.store.TableSchema.*;

/**
 * A rule that trusts the tokens of a registered OIDC issuer whose {@code sub} matches {@link #subjectPattern} and
 * whose claims include all of {@link #requiredClaims}, as a service user. {@code tokenctl federation trust-oidc}
 * writes it, the token exchange reads it.
 *
 * @param subjectPattern a {@code sub} exactly, or a prefix followed by {@code *} (see {@link SubjectPatterns})
 * @param requiredClaims claim name to the string value it must have
 */
public record OidcTrustItem(String issuer, String subjectPattern, Map<String, String> requiredClaims, String ruleId,
                            String serviceUserId, String orgId, ServiceUserState state, String title,
                            String createdAt, AllowedAccess allowed) {

    public OidcTrustItem {
        requiredClaims = Map.copyOf(requiredClaims);
    }

    public static String partitionKey(String issuer, String subjectPattern) {
        return oidcTrustKey(issuer, subjectPattern);
    }

    public static Map<String, AttributeValue> key(String issuer, String subjectPattern) {
        return Attributes.key(partitionKey(issuer, subjectPattern));
    }

    public Map<String, AttributeValue> toItem() {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put(PARTITION_KEY, AttributeValue.fromS(partitionKey(issuer, subjectPattern)));
        item.put(TYPE, AttributeValue.fromS(TYPE_OIDC_TRUST));
        putString(item, ISSUER, issuer);
        putString(item, SUBJECT_PATTERN, subjectPattern);
        if (!requiredClaims.isEmpty()) {
            Map<String, AttributeValue> claims = new TreeMap<>();
            requiredClaims.forEach((name, value) -> claims.put(name, AttributeValue.fromS(value)));
            item.put(REQUIRED_CLAIMS, AttributeValue.fromM(claims));
        }
        putString(item, RULE_ID, ruleId);
        new CredentialCopies(serviceUserId, orgId, state, title, createdAt, allowed).putInto(item);
        return item;
    }

    public static Optional<OidcTrustItem> fromItem(Map<String, AttributeValue> item) {
        if (!isOfType(item, TYPE_OIDC_TRUST)) {
            return Optional.empty();
        }
        Map<String, String> claims = new TreeMap<>();
        AttributeValue stored = item.get(REQUIRED_CLAIMS);
        if (stored != null && stored.hasM()) {
            stored.m().forEach((name, value) -> claims.put(name, value.s() == null ? "" : value.s()));
        }
        CredentialCopies copies = CredentialCopies.from(item);
        return Optional.of(new OidcTrustItem(string(item, ISSUER), string(item, SUBJECT_PATTERN), claims,
                string(item, RULE_ID), copies.serviceUserId(), copies.orgId(), copies.state(), copies.title(),
                copies.createdAt(), copies.allowed()));
    }

    public TrustTarget target() {
        return new TrustTarget(ruleId, serviceUserId, orgId, state, allowed);
    }
}
