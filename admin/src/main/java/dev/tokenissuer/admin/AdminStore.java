package dev.tokenissuer.admin;

import com.nimbusds.jose.jwk.JWK;
import dev.tokenissuer.grant.AssertionKeys;
import dev.tokenissuer.store.ClientSecretItem;
import dev.tokenissuer.store.PublicKeyItem;
import dev.tokenissuer.store.SecretHasher;
import dev.tokenissuer.store.ServiceUserItem;
import dev.tokenissuer.store.ServiceUserState;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import static dev.tokenissuer.store.TableSchema.*;

/**
 * The writes behind {@code tokenctl}: service users and their credentials, client secrets and public keys.
 *
 * <p>Each credential item carries a copy of its service user's org and state (so a token request reads one item).
 * Every change that touches both is one DynamoDB transaction, guarded by the service user's {@code version}, so a
 * disable that races a new secret can never leave an enabled copy behind.
 */
public final class AdminStore {

    /** A DynamoDB transaction holds at most 100 items: the service user and 99 credentials. */
    static final int MAX_CREDENTIALS_PER_SERVICE_USER = 99;
    private static final int ATTEMPTS = 5;

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public AdminStore(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    public record ServiceUser(String id, String orgId, String title, ServiceUserState state, List<String> credentials,
                              long version, String createdAt) {
    }

    public record NewSecret(String clientId, String clientSecret, String serviceUserId, String title,
                            String createdAt) {
        @Override
        public String toString() {
            return "NewSecret[clientId=" + clientId + "]";
        }
    }

    public record NewKey(String kid, String serviceUserId, String title, String algFamily, String createdAt) {
    }

    public record StoredKey(String kid, String serviceUserId, String title, String algFamily, ServiceUserState state,
                            String createdAt, String publicJwk) {
    }

    public ServiceUser createServiceUser(String orgId, String title) {
        String id = UUID.randomUUID().toString();
        String now = Instant.now(clock).toString();
        Map<String, AttributeValue> item =
                new ServiceUserItem(id, orgId, title, ServiceUserState.ENABLED, List.of(), 0, now).toItem();
        dynamo.putItem(r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
        return new ServiceUser(id, orgId, title, ServiceUserState.ENABLED, List.of(), 0, now);
    }

    public Optional<ServiceUser> findServiceUser(String id) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table)
                .key(ServiceUserItem.key(id)).consistentRead(true)).item();
        return ServiceUserItem.fromItem(item).map(user -> new ServiceUser(user.id(), user.orgId(), user.title(),
                user.state(), user.credentials(), user.version(), user.createdAt()));
    }

    /** Sets the service user's state and, in the same transaction, the copy on each of its credentials. */
    public ServiceUser setState(String serviceUserId, ServiceUserState state) {
        for (int attempt = 1; ; attempt++) {
            ServiceUser user = requireServiceUser(serviceUserId);
            List<TransactWriteItem> writes = new ArrayList<>();
            writes.add(versionedUpdate(user, "SET #state = :state",
                    Map.of("#state", STATE), Map.of(":state", s(state.storedName()))));
            for (String credentialKey : user.credentials()) {
                writes.add(TransactWriteItem.builder().update(u -> u.tableName(table)
                        .key(Map.of(PARTITION_KEY, s(credentialKey)))
                        .updateExpression("SET #state = :state")
                        .conditionExpression("attribute_exists(pk)")
                        .expressionAttributeNames(Map.of("#state", STATE))
                        .expressionAttributeValues(Map.of(":state", s(state.storedName())))).build());
            }
            if (tryTransaction(writes, attempt)) {
                return requireServiceUser(serviceUserId);
            }
        }
    }

    public NewSecret createSecret(String serviceUserId, String title) {
        return importSecret(serviceUserId, title, UUID.randomUUID().toString(), SecretHasher.newSecret());
    }

    /**
     * Stores a client secret with a given id and value. For fixtures whose credentials must be known in advance
     * (the sample events); operators use {@link #createSecret}, which makes both random.
     */
    NewSecret importSecret(String serviceUserId, String title, String clientId, String secret) {
        String now = Instant.now(clock).toString();
        String hash = SecretHasher.hash(secret);
        addCredential(serviceUserId, ClientSecretItem.partitionKey(clientId), user -> new ClientSecretItem(clientId,
                serviceUserId, user.orgId(), user.state(), hash, title, now).toItem());
        return new NewSecret(clientId, secret, serviceUserId, title, now);
    }

    /** Deletes a client secret; it stops working at once (the function reads with strong consistency). */
    public void deleteSecret(String clientId) {
        deleteCredential(ClientSecretItem.partitionKey(clientId),
                item -> ClientSecretItem.fromItem(item).map(ClientSecretItem::serviceUserId), "client secret " + clientId,
                "no client secret with client_id " + clientId);
    }

    /** Registers a service user's public key under a new random kid, which the stored JWK carries too. */
    public NewKey createKey(String serviceUserId, String title, JWK publicKey) {
        return importKey(serviceUserId, title, UUID.randomUUID().toString(), publicKey);
    }

    /**
     * Registers a public key under a given kid. For fixtures whose kid must be known in advance (the sample
     * events); operators use {@link #createKey}, which makes the kid random.
     */
    NewKey importKey(String serviceUserId, String title, String kid, JWK publicKey) {
        if (publicKey.isPrivate()) {
            throw new AdminException("that is a private key; register the public key only");
        }
        if (AssertionKeys.algorithmsFor(publicKey).isEmpty()) {
            throw new AdminException("the key must be RSA of at least " + AssertionKeys.MIN_RSA_BITS
                    + " bits or EC on the P-256 curve");
        }
        String now = Instant.now(clock).toString();
        String algFamily = publicKey.getKeyType().getValue();
        String publicJwk = withKeyId(publicKey, kid);
        addCredential(serviceUserId, PublicKeyItem.partitionKey(kid), user -> new PublicKeyItem(kid, serviceUserId,
                user.orgId(), user.state(), publicJwk, algFamily, title, now).toItem());
        return new NewKey(kid, serviceUserId, title, algFamily, now);
    }

    private static String withKeyId(JWK publicKey, String kid) {
        Map<String, Object> json = new LinkedHashMap<>(publicKey.toJSONObject());
        json.put("kid", kid);
        try {
            return JWK.parse(json).toJSONString();
        } catch (java.text.ParseException e) {
            throw new IllegalStateException("a JWK with another kid is still a JWK", e);
        }
    }

    /** The service user's keys, oldest first. */
    public List<StoredKey> listKeys(String serviceUserId) {
        List<StoredKey> keys = new ArrayList<>();
        for (Map<String, AttributeValue> item : readAll(requireServiceUser(serviceUserId).credentials())) {
            PublicKeyItem.fromItem(item).ifPresent(key -> keys.add(new StoredKey(key.kid(), key.serviceUserId(),
                    key.title(), key.algFamily(), key.state(), key.createdAt(), key.publicJwk())));
        }
        keys.sort(Comparator.comparing(StoredKey::createdAt).thenComparing(StoredKey::kid));
        return keys;
    }

    /**
     * The items under these keys, in as few reads as DynamoDB allows: one BatchGetItem for a service user's
     * credentials (at most 99, under the batch limit of 100), again only for keys DynamoDB left unprocessed.
     */
    private List<Map<String, AttributeValue>> readAll(List<String> partitionKeys) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        if (partitionKeys.isEmpty()) {
            return items;
        }
        Map<String, KeysAndAttributes> pending = Map.of(table, KeysAndAttributes.builder()
                .keys(partitionKeys.stream().map(key -> Map.of(PARTITION_KEY, s(key))).toList())
                .consistentRead(true)
                .build());
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            if (attempt > ATTEMPTS) {
                throw new AdminException("DynamoDB left keys unread " + ATTEMPTS + " times; try again");
            }
            Map<String, KeysAndAttributes> request = pending;
            BatchGetItemResponse response = dynamo.batchGetItem(r -> r.requestItems(request));
            items.addAll(response.responses().getOrDefault(table, List.of()));
            pending = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
        }
        return items;
    }

    /** Deletes a public key; assertions it signed stop working at once. */
    public void deleteKey(String kid) {
        deleteCredential(PublicKeyItem.partitionKey(kid),
                item -> PublicKeyItem.fromItem(item).map(PublicKeyItem::serviceUserId), "key " + kid,
                "no key with kid " + kid);
    }

    /**
     * Stores a credential item with the copies of its service user's org and state, and adds it to the service
     * user's list, in one transaction guarded by the service user's version: a concurrent disable either sees the
     * new credential in the list or makes this transaction fail and re-read.
     */
    private void addCredential(String serviceUserId, String credentialKey,
                               Function<ServiceUser, Map<String, AttributeValue>> itemFor) {
        for (int attempt = 1; ; attempt++) {
            ServiceUser user = requireServiceUser(serviceUserId);
            if (user.credentials().size() >= MAX_CREDENTIALS_PER_SERVICE_USER) {
                throw new AdminException("service user " + serviceUserId + " already has "
                        + MAX_CREDENTIALS_PER_SERVICE_USER + " credentials; delete one first");
            }
            Map<String, AttributeValue> item = itemFor.apply(user);
            List<TransactWriteItem> writes = List.of(
                    TransactWriteItem.builder().put(p -> p.tableName(table).item(item)
                            .conditionExpression("attribute_not_exists(pk)")).build(),
                    versionedUpdate(user, "ADD #credentials :credential", Map.of("#credentials", CREDENTIALS),
                            Map.of(":credential", AttributeValue.fromSs(List.of(credentialKey)))));
            if (tryTransaction(writes, attempt)) {
                return;
            }
        }
    }

    /**
     * Deletes a credential item and takes it off its service user's list, in one transaction. {@code owner} reads
     * the item's service user, and nothing from an item of another type.
     */
    private void deleteCredential(String credentialKey, Function<Map<String, AttributeValue>, Optional<String>> owner,
                                  String what, String notFound) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table)
                .key(Map.of(PARTITION_KEY, s(credentialKey))).consistentRead(true)).item();
        String serviceUserId = owner.apply(item).orElseThrow(() -> new AdminException(notFound));
        List<TransactWriteItem> writes = List.of(
                TransactWriteItem.builder().delete(d -> d.tableName(table)
                        .key(Map.of(PARTITION_KEY, s(credentialKey)))
                        .conditionExpression("attribute_exists(pk)")).build(),
                TransactWriteItem.builder().update(u -> u.tableName(table)
                        .key(Map.of(PARTITION_KEY, s(serviceUserKey(serviceUserId))))
                        .updateExpression("DELETE #credentials :credential SET #version = #version + :one")
                        .conditionExpression("attribute_exists(pk)")
                        .expressionAttributeNames(Map.of("#credentials", CREDENTIALS, "#version", VERSION))
                        .expressionAttributeValues(Map.of(
                                ":credential", AttributeValue.fromSs(List.of(credentialKey)),
                                ":one", n(1)))).build());
        if (!tryTransaction(writes, ATTEMPTS)) {
            throw new AdminException(what + " changed while it was being deleted; try again");
        }
    }

    /**
     * An update of the service user item that bumps its version, on condition that the version is still the one
     * {@code read} carries: the transaction it joins fails, and the caller re-reads, if anything changed meanwhile.
     */
    private TransactWriteItem versionedUpdate(ServiceUser read, String update, Map<String, String> names,
                                              Map<String, AttributeValue> values) {
        Map<String, String> allNames = new HashMap<>(names);
        allNames.put("#version", VERSION);
        Map<String, AttributeValue> allValues = new HashMap<>(values);
        allValues.put(":version", n(read.version()));
        allValues.put(":next", n(read.version() + 1));
        String expression = update.startsWith("SET ")
                ? update + ", #version = :next"
                : update + " SET #version = :next";
        return TransactWriteItem.builder().update(u -> u.tableName(table)
                .key(Map.of(PARTITION_KEY, s(serviceUserKey(read.id()))))
                .updateExpression(expression)
                .conditionExpression("#version = :version")
                .expressionAttributeNames(allNames)
                .expressionAttributeValues(allValues)).build();
    }

    private ServiceUser requireServiceUser(String id) {
        return findServiceUser(id).orElseThrow(() -> new AdminException("no service user with id " + id));
    }

    /** Runs the transaction; false when a condition failed and the caller should re-read and try again. */
    private boolean tryTransaction(List<TransactWriteItem> writes, int attempt) {
        try {
            dynamo.transactWriteItems(r -> r.transactItems(writes));
            return true;
        } catch (TransactionCanceledException e) {
            boolean conflict = e.cancellationReasons().stream()
                    .map(CancellationReason::code)
                    .anyMatch(code -> "ConditionalCheckFailed".equals(code) || "TransactionConflict".equals(code));
            if (!conflict || attempt >= ATTEMPTS) {
                throw new AdminException("the change conflicted with another one " + attempt
                        + " times; try again", e);
            }
            return false;
        }
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
