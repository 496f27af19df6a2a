package dev.tokenissuer.admin;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.tokenissuer.admin.FrontierDatabase.CredentialRow;
import dev.tokenissuer.admin.FrontierDatabase.ServiceUserRow;
import dev.tokenissuer.admin.ImportSummary.Kind;
import dev.tokenissuer.admin.ImportSummary.Outcome;
import dev.tokenissuer.admin.ImportSummary.Skip;
import dev.tokenissuer.store.AllowedAccess;
import dev.tokenissuer.store.ClientSecretItem;
import dev.tokenissuer.store.CredentialIds;
import dev.tokenissuer.store.LegacySecretHash;
import dev.tokenissuer.store.PublicKeyItem;
import dev.tokenissuer.store.ServiceUserItem;
import dev.tokenissuer.store.ServiceUserState;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.tokenissuer.store.TableSchema.CREDENTIALS;
import static dev.tokenissuer.store.TableSchema.VERSION;

/**
 * {@code tokenctl import frontier} (issue 19, docs/migration.md): Frontier's service users, client secrets and keys
 * into the table, keeping Frontier's ids, so that every secret and key file in use keeps working.
 *
 * <p>The database is read first, in one snapshot ({@link FrontierDatabase}); nothing is written before that
 * succeeded. A new service user is written credentials first, its own item last, each write conditional, so a
 * rerun finishes an interrupted import ({@link #createServiceUser}). A service user or credential already in the table is
 * compared, never overwritten: what differs is reported, and a secret whose bcrypt hash the function already
 * replaced on first use stays as it is.
 */
final class FrontierImport {

    /** Frontier (v0.108+) creates and rotates this service account itself at boot: it is not a client's. */
    static final String BOOTSTRAP_ACCOUNT = "00000000-0000-0000-0000-000000000001";
    private static final int WRITERS = 8;
    /** Service users whose items are read together, in BatchGetItems of at most 100 keys. */
    private static final int CHUNK = 30;

    /**
     * What to import and how.
     *
     * @param databaseUrl {@code postgres://USER[:PASSWORD]@HOST:PORT/DB} or {@code postgresql://...}
     * @param orgs        only service users of these orgs; all when empty
     * @param dryRun      read and compare, write nothing
     * @param json        print no text summary (the caller prints the JSON one)
     */
    record Options(String databaseUrl, List<String> orgs, boolean dryRun, boolean json) {
        Options {
            orgs = List.copyOf(orgs);
        }
    }

    /** A credential as it will be stored, or why it will not be. */
    private sealed interface Planned permits PlannedSecret, PlannedKey {
        Kind kind();

        String id();
    }

    private record PlannedSecret(String id, String title, String hash) implements Planned {
        public Kind kind() {
            return Kind.SECRETS;
        }
    }

    private record PlannedKey(String id, String title, String publicJwk, String algFamily) implements Planned {
        public Kind kind() {
            return Kind.KEYS;
        }
    }

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;
    private final PrintStream err;

    FrontierImport(DynamoDbClient dynamo, String table, Clock clock, PrintStream err) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
        this.err = err;
    }

    /** The plain entry point: reads Frontier, writes the table (unless a dry run), returns what it did. */
    ImportSummary run(Options options, Map<String, String> env) {
        for (String org : options.orgs()) {
            FieldLimits.orgId(org);
        }
        FrontierDatabase.Target target = FrontierDatabase.target(options.databaseUrl(), env);
        FrontierDatabase.Snapshot snapshot = FrontierDatabase.read(target, options.orgs());
        ImportSummary summary = new ImportSummary(options.dryRun());
        summary.read(snapshot.serviceUsers().size(),
                snapshot.credentialsByUser().values().stream().mapToInt(List::size).sum());
        Progress progress = new Progress(err, snapshot.serviceUsers().size(), System.console() != null && !options.json());
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        try {
            List<Future<?>> done = new ArrayList<>();
            List<ServiceUserRow> users = snapshot.serviceUsers();
            for (int from = 0; from < users.size(); from += CHUNK) {
                List<ServiceUserRow> chunk = users.subList(from, Math.min(users.size(), from + CHUNK));
                done.add(writers.submit(() -> {
                    importChunk(chunk, snapshot.credentialsByUser(), options.dryRun(), summary);
                    progress.step(chunk.size());
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new AdminException("the import failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminException("the import was interrupted; run it again to finish it");
        } finally {
            writers.shutdownNow();
            progress.finish();
        }
        if (!options.json()) {
            err.print(summary.text());
        }
        return summary;
    }

    /** A service user that can be imported, with the credentials it will have. */
    private record Prepared(String id, ServiceUserRow row, ServiceUserState state, List<Planned> planned) {
        List<String> keys() {
            List<String> keys = new ArrayList<>();
            keys.add(ServiceUserItem.partitionKey(id));
            planned.forEach(credential -> keys.add(partitionKey(credential)));
            return keys;
        }
    }

    private void importChunk(List<ServiceUserRow> users, Map<String, List<CredentialRow>> credentials,
                             boolean dryRun, ImportSummary summary) {
        List<Prepared> prepared = new ArrayList<>();
        for (ServiceUserRow user : users) {
            prepare(user, credentials.getOrDefault(user.id(), List.of()), summary).ifPresent(prepared::add);
        }
        List<String> keys = new ArrayList<>();
        prepared.forEach(user -> keys.addAll(user.keys()));
        Map<String, Map<String, AttributeValue>> stored = retrying(() -> getAll(keys));
        for (Prepared user : prepared) {
            if (user.keys().stream().noneMatch(stored::containsKey)) {
                retrying(() -> {
                    createServiceUser(user, dryRun, summary);
                    return null;
                });
                continue;
            }
            Optional<ServiceUserItem> existing = ServiceUserItem.fromItem(
                    stored.getOrDefault(ServiceUserItem.partitionKey(user.id()), Map.of()));
            if (existing.isEmpty()) {
                retrying(() -> {
                    createServiceUser(user, dryRun, summary);
                    return null;
                });
            } else {
                compareServiceUser(existing.get(), user.row(), user.state(), summary);
                for (Planned credential : user.planned()) {
                    retrying(() -> {
                        addOrCompare(existing.get(), credential,
                                stored.getOrDefault(partitionKey(credential), Map.of()), dryRun, summary);
                        return null;
                    });
                }
            }
        }
    }

    /**
     * {@code call}, again after a client-side failure (a timeout, a reset connection): every write here is
     * conditional and a retry finds what the first attempt wrote, so retrying is safe. Three attempts.
     */
    private static <T> T retrying(java.util.function.Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (software.amazon.awssdk.core.exception.SdkClientException e) {
                if (attempt >= 3) {
                    throw e;
                }
                try {
                    Thread.sleep(500L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private Optional<Prepared> prepare(ServiceUserRow row, List<CredentialRow> rows, ImportSummary summary) {
        if (BOOTSTRAP_ACCOUNT.equals(row.id())) {
            summary.skip(Skip.BOOTSTRAP_ACCOUNT);
            return Optional.empty();
        }
        Optional<String> id = CredentialIds.normalize(String.valueOf(row.id()));
        String why = id.isEmpty() ? "the id is not a UUID" : whyNotServiceUser(row);
        if (why != null) {
            summary.problem(Kind.SERVICE_USERS, String.valueOf(row.id()), why);
            return Optional.empty();
        }
        List<Planned> planned = new ArrayList<>();
        for (CredentialRow credential : rows) {
            plan(credential, summary).ifPresent(planned::add);
        }
        if (planned.size() > AdminStore.MAX_CREDENTIALS_PER_SERVICE_USER) {
            summary.problem(Kind.SERVICE_USERS, row.id(), planned.size() + " credentials; token-issuer keeps at most "
                    + AdminStore.MAX_CREDENTIALS_PER_SERVICE_USER + " per service user");
            return Optional.empty();
        }
        return Optional.of(new Prepared(id.get(), row, ServiceUserState.fromStored(row.state()), planned));
    }

    private static String whyNotServiceUser(ServiceUserRow row) {
        if (row.orgId() == null) {
            return "no org_id";
        }
        if (!"enabled".equals(row.state()) && !"disabled".equals(row.state())) {
            return "state is " + (row.state() == null ? "empty" : "'" + bounded(row.state()) + "'")
                    + ", not enabled or disabled";
        }
        try {
            FieldLimits.orgId(row.orgId());
            FieldLimits.title(String.valueOf(row.title()));
        } catch (AdminException e) {
            return e.getMessage();
        }
        return null;
    }

    /** What {@code row} becomes: a secret, a key, nothing on purpose (counted as skipped), or a refusal. */
    private static Optional<Planned> plan(CredentialRow row, ImportSummary summary) {
        String type = row.type().orElse(null);
        Kind kind = row.publicKey() != null || "jwt_bearer".equals(type) ? Kind.KEYS : Kind.SECRETS;
        Optional<String> id = CredentialIds.normalize(String.valueOf(row.id()));
        if (id.isEmpty()) {
            summary.problem(kind, String.valueOf(row.id()), "the id is not a UUID");
            return Optional.empty();
        }
        if ("opaque_token".equals(type)) {
            summary.skip(Skip.OPAQUE_TOKEN);
            return Optional.empty();
        }
        if (type != null && !type.equals("client_credential") && !type.equals("jwt_bearer")) {
            summary.problem(kind, id.get(), "unknown credential type '" + bounded(type) + "'");
            return Optional.empty();
        }
        String title = row.title() == null ? "" : row.title();
        try {
            FieldLimits.title(title);
        } catch (AdminException e) {
            summary.problem(kind, id.get(), e.getMessage());
            return Optional.empty();
        }
        boolean hasHash = row.secretHash() != null && !row.secretHash().isEmpty();
        boolean hasKey = row.publicKey() != null && !row.publicKey().isBlank() && !row.publicKey().equals("null");
        if (!hasHash && !hasKey) {
            summary.skip(Skip.NO_HASH_OR_KEY);
            return Optional.empty();
        }
        if (hasHash && hasKey) {
            summary.problem(kind, id.get(), "both a secret hash and a public key");
            return Optional.empty();
        }
        if (hasHash) {
            if (LegacySecretHash.isLegacy(row.secretHash())) {
                return Optional.of(new PlannedSecret(id.get(), title, row.secretHash()));
            }
            summary.problem(Kind.SECRETS, id.get(), LegacySecretHash.looksLikeBcrypt(row.secretHash())
                    ? "a bcrypt hash of a cost outside 4..16, or malformed" : "an unknown hash format (not bcrypt)");
            return Optional.empty();
        }
        try {
            return Optional.of(key(id.get(), title, row.publicKey()));
        } catch (AdminException e) {
            summary.problem(Kind.KEYS, id.get(), e.getMessage());
            return Optional.empty();
        }
    }

    /** The one key of Frontier's JWK Set, checked as {@code tokenctl key add} checks a key, with the kid it has. */
    private static PlannedKey key(String kid, String title, String jwkSet) {
        if (jwkSet.length() > KeyFiles.MAX_KEY_TEXT_CHARS) {
            throw new AdminException("the public key is larger than " + KeyFiles.MAX_KEY_TEXT_CHARS / 1024 + " KiB");
        }
        List<JWK> keys;
        try {
            keys = JWKSet.parse(jwkSet).getKeys();
        } catch (java.text.ParseException e) {
            throw new AdminException("public_key is not a JWK Set");
        }
        if (keys.size() != 1) {
            // Each key is stored under its credential's id as kid: two keys cannot share one.
            throw new AdminException("the JWK Set holds " + keys.size() + " keys; Frontier writes one");
        }
        JWK key = KeyFiles.readPublicKey(keys.get(0).toJSONString());
        dev.tokenissuer.grant.AssertionKeys.whyUnfit(key).ifPresent(reason -> {
            throw new AdminException(reason);
        });
        Map<String, Object> json = new java.util.LinkedHashMap<>(key.toJSONObject());
        json.put("kid", kid);
        try {
            return new PlannedKey(kid, title, JWK.parse(json).toJSONString(), key.getKeyType().getValue());
        } catch (java.text.ParseException e) {
            throw new IllegalStateException("a JWK with another kid is still a JWK", e);
        }
    }

    /**
     * A service user not in the table yet: each credential item, then the service user item that lists them, each
     * a conditional PutItem that never overwrites. Not one transaction: DynamoDB's are fine, but the emulator copies
     * the whole table for each item of one, which made a 10,000-user import take hours. A killed import can leave
     * credential items without their service user item; they work as they are (each carries its service user's org
     * and state), and the rerun recognizes them as its own and writes the service user item.
     */
    private void createServiceUser(Prepared user, boolean dryRun, ImportSummary summary) {
        if (dryRun) {
            // Whether a credential id is taken by another service user is found out only by writing; a dry run reads.
            countImported(user, summary);
            return;
        }
        String now = Instant.now(clock).toString();
        for (Planned credential : user.planned()) {
            Map<String, AttributeValue> item = item(credential, user.id(), user.row().orgId(), user.state(), now,
                    AllowedAccess.NONE);
            if (!putIfAbsent(item) && !isOurs(get(Map.of("pk", item.get("pk"))), user.id())) {
                summary.problem(Kind.SERVICE_USERS, user.id(), "the id of its credential " + credential.id()
                        + " is already in the table under another service user");
                return;
            }
        }
        List<String> keys = user.planned().stream().map(FrontierImport::partitionKey).toList();
        if (putIfAbsent(new ServiceUserItem(user.id(), user.row().orgId(), String.valueOf(user.row().title()),
                user.state(), keys, 0, now).toItem())) {
            countImported(user, summary);
            return;
        }
        // Another import wrote it meanwhile: compare with what is there now.
        ServiceUserItem existing = ServiceUserItem.fromItem(get(ServiceUserItem.key(user.id())))
                .orElseThrow(() -> new AdminException("service user " + user.id() + " is in the table as another "
                        + "kind of item"));
        compareServiceUser(existing, user.row(), user.state(), summary);
        user.planned().forEach(credential -> addOrCompare(existing, credential,
                get(Map.of("pk", AttributeValue.fromS(partitionKey(credential)))), false, summary));
    }

    /** Whether a stored credential item belongs to {@code serviceUserId}: one an interrupted import left. */
    private static boolean isOurs(Map<String, AttributeValue> item, String serviceUserId) {
        AttributeValue owner = item.get(dev.tokenissuer.store.TableSchema.SERVICE_USER_ID);
        return owner != null && serviceUserId.equals(owner.s());
    }

    private boolean putIfAbsent(Map<String, AttributeValue> item) {
        try {
            dynamo.putItem(r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
            return true;
        } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException e) {
            return false;
        }
    }

    private static void countImported(Prepared user, ImportSummary summary) {
        summary.count(Kind.SERVICE_USERS, Outcome.IMPORTED);
        user.planned().forEach(credential -> summary.count(credential.kind(), Outcome.IMPORTED));
    }

    private static void compareServiceUser(ServiceUserItem stored, ServiceUserRow row, ServiceUserState state,
                                           ImportSummary summary) {
        List<String> differs = new ArrayList<>();
        if (!stored.orgId().equals(row.orgId())) {
            differs.add("org_id");
        }
        if (!String.valueOf(stored.title()).equals(String.valueOf(row.title()))) {
            differs.add("title");
        }
        if (stored.state() != state) {
            differs.add("state (" + stored.state().storedName() + " here, " + state.storedName() + " in Frontier)");
        }
        if (differs.isEmpty()) {
            summary.count(Kind.SERVICE_USERS, Outcome.EXISTING);
        } else {
            summary.difference(Kind.SERVICE_USERS, stored.id(), String.join(", ", differs));
        }
    }

    /** A credential of a service user already in the table: added when missing, else compared. */
    private void addOrCompare(ServiceUserItem user, Planned credential, Map<String, AttributeValue> stored,
                              boolean dryRun, ImportSummary summary) {
        if (stored.isEmpty()) {
            if (!dryRun && !addCredential(user, credential)) {
                summary.problem(credential.kind(), credential.id(), "could not be added: its service user changed or"
                        + " the id is taken; run the import again");
                return;
            }
            summary.count(credential.kind(), Outcome.IMPORTED);
            return;
        }
        if (credential instanceof PlannedSecret secret) {
            Optional<ClientSecretItem> item = ClientSecretItem.fromItem(stored);
            if (item.isEmpty() || !item.get().serviceUserId().equals(user.id())) {
                summary.difference(Kind.SECRETS, secret.id(), "the id is taken by another credential");
            } else if (item.get().secretHash().equals(secret.hash())) {
                summary.count(Kind.SECRETS, Outcome.EXISTING);
            } else if (!LegacySecretHash.isLegacy(item.get().secretHash())) {
                // Upgraded on first use: the secret is the same one, hashed our way. Never put the bcrypt hash back.
                summary.count(Kind.SECRETS, Outcome.UPGRADED);
            } else {
                summary.difference(Kind.SECRETS, secret.id(), "a different secret hash (was it re-generated in Frontier?)");
            }
        } else if (credential instanceof PlannedKey key) {
            Optional<PublicKeyItem> item = PublicKeyItem.fromItem(stored);
            if (item.isEmpty() || !item.get().serviceUserId().equals(user.id())) {
                summary.difference(Kind.KEYS, key.id(), "the id is taken by another credential");
            } else if (sameKey(item.get().publicJwk(), key.publicJwk())) {
                summary.count(Kind.KEYS, Outcome.EXISTING);
            } else {
                summary.difference(Kind.KEYS, key.id(), "a different public key");
            }
        }
    }

    private static boolean sameKey(String storedJwk, String importedJwk) {
        try {
            return JWK.parse(storedJwk).computeThumbprint().equals(JWK.parse(importedJwk).computeThumbprint());
        } catch (java.text.ParseException | com.nimbusds.jose.JOSEException e) {
            return false;
        }
    }

    /** As AdminStore adds a credential: the item and the service user's list, guarded by the user's version. */
    private boolean addCredential(ServiceUserItem user, Planned credential) {
        if (user.credentials().size() >= AdminStore.MAX_CREDENTIALS_PER_SERVICE_USER) {
            return false;
        }
        String now = Instant.now(clock).toString();
        List<TransactWriteItem> writes = List.of(
                put(item(credential, user.id(), user.orgId(), user.state(), now, user.allowed())),
                TransactWriteItem.builder().update(u -> u.tableName(table).key(ServiceUserItem.key(user.id()))
                        .updateExpression("ADD #credentials :credential SET #version = :next")
                        .conditionExpression("#version = :version")
                        .expressionAttributeNames(Map.of("#credentials", CREDENTIALS, "#version", VERSION))
                        .expressionAttributeValues(Map.of(
                                ":credential", AttributeValue.fromSs(List.of(partitionKey(credential))),
                                ":version", AttributeValue.fromN(Long.toString(user.version())),
                                ":next", AttributeValue.fromN(Long.toString(user.version() + 1))))).build());
        return transact(writes);
    }

    private static String partitionKey(Planned credential) {
        return credential instanceof PlannedSecret
                ? ClientSecretItem.partitionKey(credential.id()) : PublicKeyItem.partitionKey(credential.id());
    }

    private static Map<String, AttributeValue> item(Planned credential, String userId, String orgId,
                                                    ServiceUserState state, String now, AllowedAccess allowed) {
        if (credential instanceof PlannedSecret secret) {
            return new ClientSecretItem(secret.id(), userId, orgId, state, secret.hash(), secret.title(), now, allowed)
                    .toItem();
        }
        PlannedKey key = (PlannedKey) credential;
        return new PublicKeyItem(key.id(), userId, orgId, state, key.publicJwk(), key.algFamily(), key.title(), now,
                allowed).toItem();
    }

    private TransactWriteItem put(Map<String, AttributeValue> item) {
        return TransactWriteItem.builder().put(p -> p.tableName(table).item(item)
                .conditionExpression("attribute_not_exists(pk)")).build();
    }

    /** The items under {@code partitionKeys} that exist, by partition key: BatchGetItem, unprocessed keys retried. */
    private Map<String, Map<String, AttributeValue>> getAll(List<String> partitionKeys) {
        Map<String, Map<String, AttributeValue>> found = new java.util.HashMap<>();
        // BatchGetItem takes at most 100 keys.
        for (int from = 0; from < partitionKeys.size(); from += 100) {
            getBatch(partitionKeys.subList(from, Math.min(partitionKeys.size(), from + 100)), found);
        }
        return found;
    }

    private void getBatch(List<String> partitionKeys, Map<String, Map<String, AttributeValue>> found) {
        List<Map<String, AttributeValue>> pending = partitionKeys.stream()
                .map(key -> Map.of("pk", AttributeValue.fromS(key))).toList();
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            if (attempt > 8) {
                throw new AdminException("DynamoDB left keys unprocessed 8 times; run the import again");
            }
            List<Map<String, AttributeValue>> keys = pending;
            var response = dynamo.batchGetItem(r -> r.requestItems(Map.of(table,
                    software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes.builder().keys(keys)
                            .consistentRead(true).build())));
            response.responses().getOrDefault(table, List.of())
                    .forEach(item -> found.put(item.get("pk").s(), item));
            var unprocessed = response.unprocessedKeys().get(table);
            pending = unprocessed == null ? List.of() : unprocessed.keys();
            if (!pending.isEmpty()) {
                try {
                    Thread.sleep(50L * attempt);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AdminException("the import was interrupted; run it again to finish it");
                }
            }
        }
    }

    private Map<String, AttributeValue> get(Map<String, AttributeValue> key) {
        var response = dynamo.getItem(r -> r.tableName(table).key(key).consistentRead(true));
        return response.hasItem() ? response.item() : Map.of();
    }

    /** False when a condition failed (something is already there); other cancellations are errors. */
    private boolean transact(List<TransactWriteItem> writes) {
        try {
            dynamo.transactWriteItems(r -> r.transactItems(writes));
            return true;
        } catch (TransactionCanceledException e) {
            boolean conflict = e.cancellationReasons().stream().map(CancellationReason::code)
                    .anyMatch(code -> "ConditionalCheckFailed".equals(code) || "TransactionConflict".equals(code));
            if (!conflict) {
                throw new AdminException("DynamoDB cancelled the import of a service user: " + e.cancellationReasons()
                        .stream().map(CancellationReason::code).distinct().toList(), e);
            }
            return false;
        }
    }

    private static String bounded(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    /** Rows done, rate and time left, on one terminal line that redraws itself once a second. */
    private static final class Progress {
        private final PrintStream err;
        private final int total;
        private final boolean enabled;
        private final AtomicInteger done = new AtomicInteger();
        private final long started = System.nanoTime();
        private volatile long lastPrinted;

        Progress(PrintStream err, int total, boolean enabled) {
            this.err = err;
            this.total = total;
            this.enabled = enabled;
        }

        void step(int count) {
            int now = done.addAndGet(count);
            long elapsed = System.nanoTime() - started;
            if (enabled && elapsed - lastPrinted > 1_000_000_000L) {
                lastPrinted = elapsed;
                double rate = now / (elapsed / 1e9);
                long left = rate > 0 ? (long) ((total - now) / rate) : 0;
                synchronized (err) {
                    err.printf("\r  %d/%d service users, %.0f/s, %s left   ", now, total, rate,
                            Duration.ofSeconds(left).toString().substring(2).toLowerCase(java.util.Locale.ROOT));
                }
            }
        }

        void finish() {
            if (enabled && lastPrinted > 0) {
                err.println();
            }
        }
    }
}
