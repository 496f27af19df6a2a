package dev.tokenissuer.store;

/**
 * The single DynamoDB table's layout, shared by the function (reads) and {@code tokenctl} (writes).
 *
 * <p>One string partition key, {@code pk}, with a type prefix. A credential item carries a copy of its service
 * user's org and state, so a token request reads exactly one item; {@code tokenctl} keeps the copies in step in the
 * same transaction that changes the service user (the service user item lists its credentials for that).
 */
public final class TableSchema {

    public static final String PARTITION_KEY = "pk";
    /** Epoch seconds after which DynamoDB's TTL may delete the item (replay records). */
    public static final String TTL_ATTRIBUTE = "expires_at";

    public static final String TYPE = "type";
    public static final String SERVICE_USER_ID = "service_user_id";
    public static final String ORG_ID = "org_id";
    public static final String STATE = "state";
    public static final String TITLE = "title";
    public static final String CREATED_AT = "created_at";
    public static final String CLIENT_ID = "client_id";
    public static final String SECRET_HASH = "secret_hash";
    /** On a service user item: the partition keys of its credentials. */
    public static final String CREDENTIALS = "credentials";
    /** On a service user item: bumped by every change, for optimistic locking. */
    public static final String VERSION = "version";

    public static final String TYPE_SERVICE_USER = "service_user";
    public static final String TYPE_CLIENT_SECRET = "client_secret";

    private TableSchema() {
    }

    public static String serviceUserKey(String serviceUserId) {
        return "serviceuser#" + serviceUserId;
    }

    public static String clientSecretKey(String clientId) {
        return "secret#" + clientId;
    }
}
