package dev.tokenissuer.store;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;

import static dev.tokenissuer.store.Attributes.putString;
import static dev.tokenissuer.store.Attributes.string;
import static dev.tokenissuer.store.TableSchema.CREATED_AT;
import static dev.tokenissuer.store.TableSchema.ORG_ID;
import static dev.tokenissuer.store.TableSchema.SERVICE_USER_ID;
import static dev.tokenissuer.store.TableSchema.STATE;
import static dev.tokenissuer.store.TableSchema.TITLE;

/**
 * What every credential item (a client secret, a public key) carries besides its own material: its service user,
 * copies of that user's org, state and allowed access (so one read answers a token request), and the operator's
 * label. Written and read here only.
 */
record CredentialCopies(String serviceUserId, String orgId, ServiceUserState state, String title, String createdAt,
                        AllowedAccess allowed) {

    static CredentialCopies from(Map<String, AttributeValue> item) {
        return new CredentialCopies(string(item, SERVICE_USER_ID), string(item, ORG_ID),
                ServiceUserState.fromStored(string(item, STATE)), string(item, TITLE), string(item, CREATED_AT),
                AllowedAccess.from(item));
    }

    void putInto(Map<String, AttributeValue> item) {
        putString(item, SERVICE_USER_ID, serviceUserId);
        putString(item, ORG_ID, orgId);
        putString(item, STATE, state.storedName());
        putString(item, TITLE, title);
        putString(item, CREATED_AT, createdAt);
        allowed.putInto(item);
    }
}
