package dev.tokenissuer.admin;

import com.nimbusds.jose.jwk.JWK;
import dev.tokenissuer.grant.AccessLimits;
import dev.tokenissuer.grant.AssertionKeys;
import dev.tokenissuer.store.AllowedAccess;
import dev.tokenissuer.store.ClientSecretItem;
import dev.tokenissuer.store.CredentialIds;
import dev.tokenissuer.store.CredentialValidity;
import dev.tokenissuer.store.PublicKeyItem;
import dev.tokenissuer.store.SecretHasher;
import dev.tokenissuer.store.ServiceUserItem;
import dev.tokenissuer.store.ServiceUserState;
import dev.tokenissuer.store.TokenPolicy;
import dev.tokenissuer.token.CustomClaims;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
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
 * <p>Each credential item carries a copy of its service user's org, state and allowed scopes and audiences (so a
 * token request reads one item). A change of the allowed sets is one transaction guarded by the version that writes
 * the service user and every copy, so narrowing them takes effect at once.
 * A new credential is one DynamoDB transaction guarded by the service user's {@code version}, so it copies the state
 * current when it commits. A disable or enable first sets the state (bumping the version, which sends every racing
 * create back to re-read), then copies it onto the credentials: so it wins against any number of concurrent creates.
 * Writes that lose a race retry within {@link ConflictRetry#BUDGET}. Ids are read as the API reads them
 * ({@link CredentialIds}): lower-case UUIDs.
 */
public final class AdminStore {

    /** A DynamoDB transaction holds at most 100 items: the service user and 99 credentials. */
    static final int MAX_CREDENTIALS_PER_SERVICE_USER = 99;
    private static final int BATCH_ATTEMPTS = 5;

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public AdminStore(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    public record ServiceUser(String id, String orgId, String title, ServiceUserState state, List<String> credentials,
                              long version, String createdAt, AllowedAccess allowed) {
    }

    public record NewSecret(String clientId, String clientSecret, String serviceUserId, String title,
                            String createdAt, Optional<Instant> validUntil) {
        public NewSecret(String clientId, String clientSecret, String serviceUserId, String title, String createdAt) {
            this(clientId, clientSecret, serviceUserId, title, createdAt, Optional.empty());
        }

        @Override
        public String toString() {
            return "NewSecret[clientId=" + clientId + "]";
        }
    }

    public record NewKey(String kid, String serviceUserId, String title, String algFamily, String createdAt,
                         Optional<Instant> validUntil) {
    }

    public record StoredKey(String kid, String serviceUserId, String title, String algFamily, ServiceUserState state,
                            String createdAt, String publicJwk, Optional<Instant> validUntil) {
    }

    /** A client secret as listed: never its hash. */
    public record StoredSecret(String clientId, String serviceUserId, String title, ServiceUserState state,
                               String createdAt, Optional<Instant> validUntil) {
    }

    public ServiceUser createServiceUser(String orgId, String title) {
        return createServiceUser(orgId, title, AllowedAccess.NONE);
    }

    /** A new enabled service user whose tokens may carry the {@code allowed} scopes and audiences. */
    public ServiceUser createServiceUser(String orgId, String title, AllowedAccess allowed) {
        FieldLimits.orgId(orgId);
        FieldLimits.title(title);
        checkScopes(allowed.scopes());
        checkAudiences(allowed.audiences());
        checkClaims(allowed.policy());
        String id = UUID.randomUUID().toString();
        String now = Instant.now(clock).toString();
        ServiceUserItem user = new ServiceUserItem(id, orgId, title, ServiceUserState.ENABLED, List.of(), 0, now,
                allowed);
        Map<String, AttributeValue> item = user.toItem();
        dynamo.putItem(r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
        return serviceUser(user);
    }

    static ServiceUser serviceUser(ServiceUserItem user) {
        return new ServiceUser(user.id(), user.orgId(), user.title(), user.state(), user.credentials(), user.version(),
                user.createdAt(), user.allowed());
    }

    /** Replaces the scopes the service user may be granted, on it and every credential at once; empty clears them. */
    public ServiceUser setScopes(String serviceUserId, List<String> scopes) {
        checkScopes(scopes);
        return setAllowed(serviceUserId, ALLOWED_SCOPES, scopes, "setting the scopes of service user ");
    }

    /** Replaces the audiences the service user's tokens may name, as {@link #setScopes}. */
    public ServiceUser setAudiences(String serviceUserId, List<String> audiences) {
        checkAudiences(audiences);
        return setAllowed(serviceUserId, ALLOWED_AUDIENCES, audiences, "setting the audiences of service user ");
    }

    private static void checkScopes(List<String> scopes) {
        AccessLimits.whyNotScopes(scopes).ifPresent(reason -> {
            throw new AdminException("the scopes cannot be stored: " + reason);
        });
    }

    private static void checkClaims(TokenPolicy policy) {
        CustomClaims.whyNot(policy.claims()).ifPresent(reason -> {
            throw new AdminException("the claims cannot be stored: " + reason);
        });
    }

    private static void checkAudiences(List<String> audiences) {
        AccessLimits.whyNotAudiences(audiences).ifPresent(reason -> {
            throw new AdminException("the audiences cannot be stored: " + reason);
        });
    }

    /**
     * Writes one allowed set onto the service user and each of its credentials in one transaction, on condition that
     * the service user's version is the one read: a credential created, deleted or a set changed meanwhile sends it
     * back to re-read, so no credential keeps an old copy. An empty set removes the attribute (DynamoDB has no empty
     * sets, and a missing one reads as none).
     */
    private ServiceUser setAllowed(String serviceUserId, String attribute, List<String> values, String what) {
        return setCopied(serviceUserId, attribute, AllowedAccess.attributeValue(values), what);
    }

    /**
     * Replaces the service user's own token lifetime ({@link TokenPolicy}), on it and every credential at once;
     * empty returns it to the deployment's. {@code policy} checks it first (see {@link TokenPolicies}).
     */
    public ServiceUser setTokenLifetime(String serviceUserId, TokenPolicy policy) {
        return setCopied(serviceUserId, TOKEN_LIFETIME_SECONDS, policy.lifetimeAttribute(),
                "setting the token lifetime of service user ");
    }

    /** Replaces the static claims of the service user's tokens, as {@link #setTokenLifetime}; none clears them. */
    public ServiceUser setClaims(String serviceUserId, TokenPolicy policy) {
        checkClaims(policy);
        return setCopied(serviceUserId, TOKEN_CLAIMS, policy.claimsAttribute(),
                "setting the token claims of service user ");
    }

    /** Writes one copied attribute (null: removes it) onto the service user and its credentials, as {@link #setAllowed}. */
    private ServiceUser setCopied(String serviceUserId, String attribute, AttributeValue stored, String what) {
        String id = storedServiceUserId(serviceUserId);
        String update = stored == null ? "REMOVE #allowed" : "SET #allowed = :allowed";
        Map<String, String> names = Map.of("#allowed", attribute);
        Map<String, AttributeValue> valueMap = stored == null ? Map.of() : Map.of(":allowed", stored);
        ConflictRetry retry = new ConflictRetry();
        while (true) {
            ServiceUser user = requireServiceUser(id);
            List<TransactWriteItem> writes = new ArrayList<>();
            writes.add(versionedUpdate(user, update, names, valueMap));
            writes.addAll(onEachCredential(user, update, names, valueMap));
            if (tryTransaction(writes)) {
                return requireServiceUser(id);
            }
            if (pruneVanished(user)) {
                continue;
            }
            if (!retry.backOff()) {
                throw ConflictRetry.exhausted(what + id);
            }
        }
    }

    /** The service user, if {@code id} names one; an id of another form than a UUID names none. */
    public Optional<ServiceUser> findServiceUser(String id) {
        Optional<String> normalized = CredentialIds.normalize(id);
        if (normalized.isEmpty()) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table)
                .key(ServiceUserItem.key(normalized.get())).consistentRead(true)).item();
        return ServiceUserItem.fromItem(item).map(AdminStore::serviceUser);
    }

    /**
     * Sets the service user's state, then copies it onto each of its credentials. The first write is unconditional
     * but for the user existing, so no create can starve it; creates that raced it fail on the version and re-read
     * the new state. The copies are one transaction on condition that the state is still this one: if a later
     * disable or enable changed it meanwhile, that one does the copying, and this returns the user as it now is.
     */
    public ServiceUser setState(String serviceUserId, ServiceUserState state) {
        String id = storedServiceUserId(serviceUserId);
        try {
            dynamo.updateItem(r -> r.tableName(table)
                    .key(Map.of(PARTITION_KEY, s(serviceUserKey(id))))
                    .updateExpression("SET #state = :state, #version = #version + :one")
                    .conditionExpression("attribute_exists(pk)")
                    .expressionAttributeNames(Map.of("#state", STATE, "#version", VERSION))
                    .expressionAttributeValues(Map.of(":state", s(state.storedName()), ":one", n(1))));
        } catch (ConditionalCheckFailedException e) {
            throw new AdminException("no service user with id " + id);
        }
        ConflictRetry retry = new ConflictRetry();
        while (true) {
            ServiceUser user = requireServiceUser(id);
            if (user.state() != state) {
                return user;
            }
            List<TransactWriteItem> writes = new ArrayList<>();
            writes.add(TransactWriteItem.builder().conditionCheck(c -> c.tableName(table)
                    .key(Map.of(PARTITION_KEY, s(serviceUserKey(id))))
                    .conditionExpression("#state = :state")
                    .expressionAttributeNames(Map.of("#state", STATE))
                    .expressionAttributeValues(Map.of(":state", s(state.storedName())))).build());
            writes.addAll(onEachCredential(user, "SET #state = :state", Map.of("#state", STATE),
                    Map.of(":state", s(state.storedName()))));
            if (tryTransaction(writes)) {
                return user;
            }
            if (pruneVanished(user)) {
                continue;
            }
            if (!retry.backOff()) {
                throw ConflictRetry.exhausted("setting service user " + id + " " + state.storedName());
            }
        }
    }

    public NewSecret createSecret(String serviceUserId, String title) {
        return createSecret(serviceUserId, title, Optional.empty());
    }

    /** A new random client secret that stops working at {@code validUntil}, if given. */
    public NewSecret createSecret(String serviceUserId, String title, Optional<Instant> validUntil) {
        return importSecret(serviceUserId, title, UUID.randomUUID().toString(), SecretHasher.newSecret(),
                validUntil);
    }

    /**
     * Stores a client secret with a given id and value. For fixtures whose credentials must be known in advance
     * (the sample events); operators use {@link #createSecret}, which makes both random.
     */
    public NewSecret importSecret(String serviceUserId, String title, String clientId, String secret) {
        return importSecret(serviceUserId, title, clientId, secret, Optional.empty());
    }

    NewSecret importSecret(String serviceUserId, String title, String clientId, String secret,
                           Optional<Instant> validUntil) {
        FieldLimits.title(title);
        String now = Instant.now(clock).toString();
        String hash = SecretHasher.hash(secret);
        addCredential(serviceUserId, ClientSecretItem.partitionKey(clientId), user -> new ClientSecretItem(clientId,
                serviceUserId, user.orgId(), user.state(), hash, title, now, user.allowed(), validUntil).toItem());
        return new NewSecret(clientId, secret, serviceUserId, title, now, validUntil);
    }

    /**
     * Sets when a client secret stops working (the rotation's overlap): never later than it already would, so a
     * repeated call cannot lengthen it. Returns the expiry it has now; empty when there is no such secret.
     */
    public Optional<Instant> expireSecretBy(String clientId, Instant validUntil) {
        String id = CredentialIds.normalize(clientId).orElse(null);
        if (id == null) {
            return Optional.empty();
        }
        Map<String, AttributeValue> validity = CredentialValidity.attributes(validUntil);
        Map<String, AttributeValue> item = new HashMap<>();
        try {
            item.putAll(dynamo.updateItem(r -> r.tableName(table)
                    .key(ClientSecretItem.key(id))
                    .updateExpression("SET #until = :until, #ttl = :ttl")
                    .conditionExpression("#type = :type AND (attribute_not_exists(#until) OR #until > :until)")
                    .expressionAttributeNames(Map.of("#until", VALID_UNTIL, "#ttl", TTL_ATTRIBUTE, "#type", TYPE))
                    .expressionAttributeValues(Map.of(":until", validity.get(VALID_UNTIL),
                            ":ttl", validity.get(TTL_ATTRIBUTE), ":type", s(TYPE_CLIENT_SECRET)))
                    .returnValues(ReturnValue.ALL_NEW)).attributes());
        } catch (ConditionalCheckFailedException e) {
            // No such secret, or it already expires sooner: it stays as it is.
            item.putAll(dynamo.getItem(r -> r.tableName(table).key(ClientSecretItem.key(id)).consistentRead(true))
                    .item());
        }
        return ClientSecretItem.fromItem(item).flatMap(ClientSecretItem::validUntil);
    }

    /** The client secret with this id, if there is one, without its hash. */
    public Optional<StoredSecret> findSecret(String clientId) {
        return CredentialIds.normalize(clientId).flatMap(id -> ClientSecretItem.fromItem(dynamo.getItem(r -> r
                .tableName(table).key(ClientSecretItem.key(id)).consistentRead(true)).item()))
                .map(AdminStore::storedSecret);
    }

    private static StoredSecret storedSecret(ClientSecretItem secret) {
        return new StoredSecret(secret.clientId(), secret.serviceUserId(), secret.title(), secret.state(),
                secret.createdAt(), secret.validUntil());
    }

    /** The service user's client secrets, oldest first. */
    public List<StoredSecret> listSecrets(String serviceUserId) {
        List<StoredSecret> secrets = new ArrayList<>();
        for (Map<String, AttributeValue> item : readAll(requireServiceUser(serviceUserId).credentials())) {
            ClientSecretItem.fromItem(item).ifPresent(secret -> secrets.add(storedSecret(secret)));
        }
        secrets.sort(Comparator.comparing(StoredSecret::createdAt).thenComparing(StoredSecret::clientId));
        return secrets;
    }

    /**
     * Deletes a client secret; it stops working at once (the function reads with strong consistency).
     *
     * @return the client id as stored, which is how the API reads the one given
     */
    public String deleteSecret(String clientId) {
        String id = CredentialIds.normalize(clientId)
                .orElseThrow(() -> new AdminException("no client secret with that client_id: client ids are UUIDs"));
        deleteCredential(ClientSecretItem.partitionKey(id),
                item -> ClientSecretItem.fromItem(item).map(ClientSecretItem::serviceUserId),
                "deleting client secret " + id, "no client secret with client_id " + id);
        return id;
    }

    /** Registers a service user's public key under a new random kid, which the stored JWK carries too. */
    public NewKey createKey(String serviceUserId, String title, JWK publicKey) {
        return createKey(serviceUserId, title, publicKey, Optional.empty());
    }

    /** As {@link #createKey(String, String, JWK)}, the key refused from {@code validUntil} on, if given. */
    public NewKey createKey(String serviceUserId, String title, JWK publicKey, Optional<Instant> validUntil) {
        return importKey(serviceUserId, title, UUID.randomUUID().toString(), publicKey, validUntil);
    }

    /**
     * Registers a public key under a given kid. For fixtures whose kid must be known in advance (the sample
     * events); operators use {@link #createKey}, which makes the kid random.
     */
    public NewKey importKey(String serviceUserId, String title, String kid, JWK publicKey) {
        return importKey(serviceUserId, title, kid, publicKey, Optional.empty());
    }

    private NewKey importKey(String serviceUserId, String title, String kid, JWK publicKey,
                             Optional<Instant> validUntil) {
        FieldLimits.title(title);
        if (publicKey.isPrivate()) {
            throw new AdminException("that is a private key; register the public key only");
        }
        AssertionKeys.whyUnfit(publicKey).ifPresent(reason -> {
            throw new AdminException(reason);
        });
        String now = Instant.now(clock).toString();
        String algFamily = publicKey.getKeyType().getValue();
        String publicJwk = withKeyId(publicKey, kid);
        addCredential(serviceUserId, PublicKeyItem.partitionKey(kid), user -> new PublicKeyItem(kid, serviceUserId,
                user.orgId(), user.state(), publicJwk, algFamily, title, now, user.allowed(), validUntil).toItem());
        return new NewKey(kid, serviceUserId, title, algFamily, now, validUntil);
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
                    key.title(), key.algFamily(), key.state(), key.createdAt(), key.publicJwk(), key.validUntil())));
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
            if (attempt > BATCH_ATTEMPTS) {
                throw new AdminException("DynamoDB left keys unread " + BATCH_ATTEMPTS + " times; try again");
            }
            Map<String, KeysAndAttributes> request = pending;
            BatchGetItemResponse response = dynamo.batchGetItem(r -> r.requestItems(request));
            items.addAll(response.responses().getOrDefault(table, List.of()));
            pending = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
        }
        return items;
    }

    /**
     * Deletes a public key; assertions it signed stop working at once.
     *
     * @return the kid as stored, which is how the API reads the one given
     */
    public String deleteKey(String kid) {
        String id = CredentialIds.normalize(kid)
                .orElseThrow(() -> new AdminException("no key with that kid: kids are UUIDs"));
        deleteCredential(PublicKeyItem.partitionKey(id),
                item -> PublicKeyItem.fromItem(item).map(PublicKeyItem::serviceUserId), "deleting key " + id,
                "no key with kid " + id);
        return id;
    }

    /**
     * Stores a credential item with the copies of its service user's org, state and allowed sets, and adds it to the service
     * user's list, in one transaction guarded by the service user's version: a concurrent disable either sees the
     * new credential in the list or makes this transaction fail and re-read.
     */
    void addCredential(String serviceUserId, String credentialKey,
                               Function<ServiceUser, Map<String, AttributeValue>> itemFor) {
        ConflictRetry retry = new ConflictRetry();
        while (true) {
            ServiceUser user = requireServiceUser(serviceUserId);
            if (user.credentials().size() >= MAX_CREDENTIALS_PER_SERVICE_USER && pruneVanished(user)) {
                continue;
            }
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
            if (tryTransaction(writes)) {
                return;
            }
            if (!retry.backOff()) {
                throw ConflictRetry.exhausted("adding a credential to service user " + user.id());
            }
        }
    }

    /**
     * Deletes a credential item and takes it off its service user's list, in one transaction, which is retried if it
     * races another change (a deletion of the same credential is then reported as not found). {@code owner} reads the
     * item's service user, and nothing from an item of another type.
     */
    void deleteCredential(String credentialKey, Function<Map<String, AttributeValue>, Optional<String>> owner,
                                  String what, String notFound) {
        ConflictRetry retry = new ConflictRetry();
        while (true) {
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
            if (tryTransaction(writes)) {
                return;
            }
            if (!retry.backOff()) {
                throw ConflictRetry.exhausted(what);
            }
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

    /** The same update on each of the user's credential items: how the copies they carry are kept in step. */
    private List<TransactWriteItem> onEachCredential(ServiceUser user, String update, Map<String, String> names,
                                                    Map<String, AttributeValue> values) {
        List<TransactWriteItem> writes = new ArrayList<>();
        for (String credentialKey : user.credentials()) {
            writes.add(TransactWriteItem.builder().update(u -> u.tableName(table)
                    .key(Map.of(PARTITION_KEY, s(credentialKey)))
                    .updateExpression(update)
                    .conditionExpression("attribute_exists(pk)")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values.isEmpty() ? null : values)).build());
        }
        return writes;
    }

    /**
     * Takes the credentials DynamoDB's TTL deleted (expired ones, after their grace) off the service user's list, so
     * the writes that copy onto each credential do not fail on an item that is gone. True when it removed some (the
     * caller re-reads); false when none was missing, or the user changed meanwhile.
     */
    private boolean pruneVanished(ServiceUser user) {
        if (user.credentials().isEmpty()) {
            return false;
        }
        java.util.Set<String> present = new java.util.HashSet<>();
        readAll(user.credentials()).forEach(item -> present.add(item.get(PARTITION_KEY).s()));
        List<String> gone = user.credentials().stream().filter(key -> !present.contains(key)).toList();
        return !gone.isEmpty() && tryTransaction(List.of(versionedUpdate(user, "DELETE #credentials :gone",
                Map.of("#credentials", CREDENTIALS), Map.of(":gone", AttributeValue.fromSs(gone)))));
    }

    /** A service user id as stored, without a read; the writes that follow find out whether it exists. */
    private static String storedServiceUserId(String id) {
        return CredentialIds.normalize(id).orElseThrow(() -> new AdminException("no service user with id " + id));
    }

    private ServiceUser requireServiceUser(String id) {
        return findServiceUser(id).orElseThrow(() -> new AdminException("no service user with id " + id));
    }

    /** Runs the transaction; false when a condition failed or it collided, and the caller should re-read and retry. */
    private boolean tryTransaction(List<TransactWriteItem> writes) {
        try {
            dynamo.transactWriteItems(r -> r.transactItems(writes));
            return true;
        } catch (TransactionCanceledException e) {
            boolean conflict = e.cancellationReasons().stream()
                    .map(CancellationReason::code)
                    .anyMatch(code -> "ConditionalCheckFailed".equals(code) || "TransactionConflict".equals(code));
            if (!conflict) {
                throw new AdminException("DynamoDB cancelled the change: " + e.cancellationReasons().stream()
                        .map(CancellationReason::code).distinct().toList(), e);
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
