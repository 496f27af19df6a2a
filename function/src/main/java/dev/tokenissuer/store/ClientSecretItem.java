package dev.tokenissuer.store;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static dev.tokenissuer.store.Attributes.isOfType;
import static dev.tokenissuer.store.Attributes.putString;
import static dev.tokenissuer.store.Attributes.string;
import static dev.tokenissuer.store.TableSchema.*;

/**
 * A client secret's item, the one place it is turned into attributes and back: {@code tokenctl} writes it, the token
 * endpoint reads it.
 *
 * @param serviceUserId the service user it belongs to
 * @param orgId         a copy of the service user's, as {@link #state}
 * @param state         a copy of the service user's, kept in step by {@code tokenctl}
 * @param secretHash     see {@link SecretHasher}
 * @param title          the operator's label
 * @param createdAt      an ISO-8601 instant
 * @param allowed        a copy of the service user's, as {@link #state}
 * @param validUntil     when it stops working; empty when it does not expire (see {@link CredentialValidity})
 */
public record ClientSecretItem(String clientId, String serviceUserId, String orgId, ServiceUserState state,
                               String secretHash, String title, String createdAt, AllowedAccess allowed,
                               Optional<Instant> validUntil) {

    public ClientSecretItem {
        java.util.Objects.requireNonNull(allowed, "allowed");
        java.util.Objects.requireNonNull(validUntil, "validUntil");
    }

    /** A secret that does not expire. */
    public ClientSecretItem(String clientId, String serviceUserId, String orgId, ServiceUserState state,
                            String secretHash, String title, String createdAt, AllowedAccess allowed) {
        this(clientId, serviceUserId, orgId, state, secretHash, title, createdAt, allowed, Optional.empty());
    }

    /** A secret of a service user that may be granted no scopes and name no audiences. */
    public ClientSecretItem(String clientId, String serviceUserId, String orgId, ServiceUserState state,
                            String secretHash, String title, String createdAt) {
        this(clientId, serviceUserId, orgId, state, secretHash, title, createdAt, AllowedAccess.NONE);
    }

    public static String partitionKey(String clientId) {
        return clientSecretKey(clientId);
    }

    /** The primary key of the item of {@code clientId}. */
    public static Map<String, AttributeValue> key(String clientId) {
        return Attributes.key(partitionKey(clientId));
    }

    public Map<String, AttributeValue> toItem() {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put(PARTITION_KEY, AttributeValue.fromS(partitionKey(clientId)));
        item.put(TYPE, AttributeValue.fromS(TYPE_CLIENT_SECRET));
        putString(item, CLIENT_ID, clientId);
        putString(item, SECRET_HASH, secretHash);
        new CredentialCopies(serviceUserId, orgId, state, title, createdAt, allowed).putInto(item);
        CredentialValidity.putInto(item, validUntil);
        return item;
    }

    /** The client secret {@code item} holds; empty when there is no item or it is of another type. */
    public static Optional<ClientSecretItem> fromItem(Map<String, AttributeValue> item) {
        if (!isOfType(item, TYPE_CLIENT_SECRET)) {
            return Optional.empty();
        }
        CredentialCopies copies = CredentialCopies.from(item);
        return Optional.of(new ClientSecretItem(string(item, CLIENT_ID), copies.serviceUserId(), copies.orgId(),
                copies.state(), string(item, SECRET_HASH), copies.title(), copies.createdAt(), copies.allowed(),
                CredentialValidity.from(item)));
    }

    /** What the token endpoint needs of it. */
    public ClientSecretCredential credential() {
        return new ClientSecretCredential(clientId, serviceUserId, orgId, state, secretHash, allowed, validUntil);
    }

    @Override
    public String toString() {
        return "ClientSecretItem[clientId=" + clientId + ", serviceUserId=" + serviceUserId + "]";
    }
}
