package dev.tokenissuer.store;

import com.nimbusds.jose.jwk.JWK;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.text.ParseException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static dev.tokenissuer.store.Attributes.isOfType;
import static dev.tokenissuer.store.Attributes.putString;
import static dev.tokenissuer.store.Attributes.string;
import static dev.tokenissuer.store.TableSchema.*;

/**
 * A service user's public key item, the one place it is turned into attributes and back: {@code tokenctl} writes
 * it, the token endpoint reads it.
 *
 * @param serviceUserId the service user it belongs to
 * @param orgId         a copy of the service user's, as {@link #state}
 * @param state         a copy of the service user's, kept in step by {@code tokenctl}
 * @param publicJwk      the public JWK as JSON, carrying {@code kid}
 * @param algFamily      the JWK key type ({@code RSA}, {@code EC}), so listings need not parse the JWK
 * @param title          the operator's label
 * @param createdAt      an ISO-8601 instant
 * @param allowed        a copy of the service user's, as {@link #state}
 * @param validUntil     when it stops working; empty when it does not expire (see {@link CredentialValidity})
 */
public record PublicKeyItem(String kid, String serviceUserId, String orgId, ServiceUserState state, String publicJwk,
                            String algFamily, String title, String createdAt, AllowedAccess allowed,
                            Optional<Instant> validUntil) {

    public PublicKeyItem {
        java.util.Objects.requireNonNull(allowed, "allowed");
        java.util.Objects.requireNonNull(validUntil, "validUntil");
    }

    /** A key that does not expire. */
    public PublicKeyItem(String kid, String serviceUserId, String orgId, ServiceUserState state, String publicJwk,
                         String algFamily, String title, String createdAt, AllowedAccess allowed) {
        this(kid, serviceUserId, orgId, state, publicJwk, algFamily, title, createdAt, allowed, Optional.empty());
    }

    /** A key of a service user that may be granted no scopes and name no audiences. */
    public PublicKeyItem(String kid, String serviceUserId, String orgId, ServiceUserState state, String publicJwk,
                         String algFamily, String title, String createdAt) {
        this(kid, serviceUserId, orgId, state, publicJwk, algFamily, title, createdAt, AllowedAccess.NONE);
    }

    public static String partitionKey(String kid) {
        return publicKeyKey(kid);
    }

    /** The primary key of the item of {@code kid}. */
    public static Map<String, AttributeValue> key(String kid) {
        return Attributes.key(partitionKey(kid));
    }

    public Map<String, AttributeValue> toItem() {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put(PARTITION_KEY, AttributeValue.fromS(partitionKey(kid)));
        item.put(TYPE, AttributeValue.fromS(TYPE_PUBLIC_KEY));
        putString(item, KID, kid);
        putString(item, PUBLIC_JWK, publicJwk);
        putString(item, ALG_FAMILY, algFamily);
        new CredentialCopies(serviceUserId, orgId, state, title, createdAt, allowed).putInto(item);
        CredentialValidity.putInto(item, validUntil);
        return item;
    }

    /** The public key {@code item} holds; empty when there is no item or it is of another type. */
    public static Optional<PublicKeyItem> fromItem(Map<String, AttributeValue> item) {
        if (!isOfType(item, TYPE_PUBLIC_KEY)) {
            return Optional.empty();
        }
        CredentialCopies copies = CredentialCopies.from(item);
        return Optional.of(new PublicKeyItem(string(item, KID), copies.serviceUserId(), copies.orgId(), copies.state(),
                string(item, PUBLIC_JWK), string(item, ALG_FAMILY), copies.title(), copies.createdAt(),
                copies.allowed(), CredentialValidity.from(item)));
    }

    /** What the token endpoint needs of it: the JWK parsed, only its public half. */
    public PublicKeyCredential credential() {
        return new PublicKeyCredential(kid, serviceUserId, orgId, state, publicHalf(publicJwk), allowed, validUntil);
    }

    private static JWK publicHalf(String json) {
        try {
            // Only the public half is used, even should a damaged item hold private members.
            return JWK.parse(json).toPublicJWK();
        } catch (ParseException | NullPointerException e) {
            throw new IllegalStateException("a stored public key cannot be read", e);
        }
    }
}
