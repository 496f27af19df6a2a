package dev.tokenissuer.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import dev.tokenissuer.grant.RecordedUses;
import dev.tokenissuer.admin.FrontierRows.Key;
import dev.tokenissuer.admin.FrontierRows.Secret;
import dev.tokenissuer.admin.InProcessTokenCtl.Run;
import dev.tokenissuer.grant.ClientCredentialsGrant;
import dev.tokenissuer.grant.ClientSecretAuthentication;
import dev.tokenissuer.grant.Grants;
import dev.tokenissuer.grant.OAuthException;
import dev.tokenissuer.grant.TokenRequest;
import dev.tokenissuer.store.ClientSecretItem;
import dev.tokenissuer.store.DynamoCredentialStore;
import dev.tokenissuer.store.LegacySecretHash;
import dev.tokenissuer.store.PublicKeyItem;
import dev.tokenissuer.store.ServiceUserItem;
import dev.tokenissuer.store.ServiceUserState;
import dev.tokenissuer.testing.AwsEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@code tokenctl import frontier} from a real PostgreSQL 15 holding Frontier's two tables, rows made as Frontier
 * makes them (Go bcrypt cost 14, JWK Sets), into a table in the emulator; then the imported secret through the
 * function's client authentication against that table.
 */
class FrontierImportIT {

    private static LocalPostgres postgres;
    private static DynamoDbClient dynamo;
    private Map<String, String> env;
    private String table;
    private String database;
    private Connection frontier;
    private FrontierRows rows;
    private final String org = UUID.randomUUID().toString();

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = LocalPostgres.start();
        dynamo = AwsEmulator.dynamo();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        dynamo.close();
        postgres.close();
    }

    @BeforeEach
    void freshDatabaseAndTable() throws Exception {
        newFrontier(true);
    }

    private void newFrontier(boolean typeColumn) throws Exception {
        table = AwsEmulator.newTable(dynamo);
        env = new HashMap<>(AwsEmulator.environment(table, "alias/unused-" + UUID.randomUUID()));
        database = postgres.newFrontierDatabase(typeColumn);
        frontier = postgres.connect(database);
        rows = new FrontierRows(frontier, typeColumn);
    }

    private Run importFrontier(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("import", "frontier", "--database-url",
                postgres.url(database)));
        args.addAll(List.of(extra));
        return InProcessTokenCtl.run(env, args.toArray(String[]::new));
    }

    private Grants clientSecretGrant() {
        return new Grants(List.of(new ClientCredentialsGrant()),
                List.of(new ClientSecretAuthentication(new DynamoCredentialStore(dynamo, table))));
    }

    private static TokenRequest secretInBody(String clientId, String secret) {
        return new TokenRequest("client_credentials",
                Map.of(TokenRequest.CLIENT_ID, clientId, TokenRequest.CLIENT_SECRET, secret), false);
    }

    private String storedHash(String clientId) {
        return ClientSecretItem.fromItem(dynamo.getItem(r -> r.tableName(table).key(ClientSecretItem.key(clientId))
                .consistentRead(true)).item()).orElseThrow().secretHash();
    }

    private int tableItems() {
        return dynamo.scan(r -> r.tableName(table)).count();
    }

    @Test
    @DisplayName("imports service users, secrets and keys with Frontier's ids; the imported secret then gets a token and is upgraded")
    void importsAndTheSecretWorks() throws Exception {
        String user = rows.serviceUser(org, "billing", "enabled");
        Secret secret = rows.secret(user);
        Key key = rows.key(user);

        Run run = importFrontier("--json");

        assertThat(run.status()).as(run.err()).isZero();
        JsonNode summary = run.json();
        assertThat(summary.at("/service_users/imported").asInt()).isEqualTo(1);
        assertThat(summary.at("/secrets/imported").asInt()).isEqualTo(1);
        assertThat(summary.at("/keys/imported").asInt()).isEqualTo(1);
        ServiceUserItem stored = ServiceUserItem.fromItem(dynamo.getItem(r -> r.tableName(table)
                .key(ServiceUserItem.key(user)).consistentRead(true)).item()).orElseThrow();
        assertThat(stored.orgId()).isEqualTo(org);
        assertThat(stored.title()).isEqualTo("billing");
        assertThat(stored.state()).isEqualTo(ServiceUserState.ENABLED);
        assertThat(storedHash(secret.clientId())).isEqualTo(secret.hash()).startsWith("$2a$14$");
        PublicKeyItem storedKey = PublicKeyItem.fromItem(dynamo.getItem(r -> r.tableName(table)
                .key(PublicKeyItem.key(key.kid())).consistentRead(true)).item()).orElseThrow();
        assertThat(JWK.parse(storedKey.publicJwk()).getKeyID()).isEqualTo(key.kid());
        assertThat(JWK.parse(storedKey.publicJwk()).computeThumbprint())
                .isEqualTo(new RSAKey.Builder((java.security.interfaces.RSAPublicKey) key.pair().getPublic()).build()
                        .computeThumbprint());

        Grants grants = clientSecretGrant();
        assertThat(grants.authorize(secretInBody(secret.clientId(), secret.secret()), new RecordedUses()).serviceUserId()).isEqualTo(user);
        assertThat(LegacySecretHash.isLegacy(storedHash(secret.clientId()))).as("upgraded on first use").isFalse();
        assertThat(grants.authorize(secretInBody(secret.clientId(), secret.secret()), new RecordedUses()).orgId()).isEqualTo(org);
    }

    @Test
    @DisplayName("a second run writes nothing new, reports what exists, and keeps an upgraded secret upgraded")
    void idempotentAndUpgradedStays() throws Exception {
        String user = rows.serviceUser(org, "billing", "enabled");
        Secret secret = rows.secret(user);
        rows.key(user);
        assertThat(importFrontier("--json").status()).isZero();
        clientSecretGrant().authorize(secretInBody(secret.clientId(), secret.secret()), new RecordedUses());
        String upgraded = storedHash(secret.clientId());
        int items = tableItems();

        JsonNode again = importFrontier("--json").json();

        assertThat(again.at("/service_users/existing").asInt()).isEqualTo(1);
        assertThat(again.at("/secrets/upgraded").asInt()).isEqualTo(1);
        assertThat(again.at("/keys/existing").asInt()).isEqualTo(1);
        assertThat(again.at("/service_users/imported").asInt()
                + again.at("/secrets/imported").asInt() + again.at("/keys/imported").asInt()).isZero();
        assertThat(storedHash(secret.clientId())).isEqualTo(upgraded);
        assertThat(tableItems()).isEqualTo(items);
    }

    @Test
    @DisplayName("a rerun after an interrupted import (some service users written) finishes it")
    void resumes() throws Exception {
        String first = rows.serviceUser(org, "first", "enabled");
        rows.secret(first);
        assertThat(importFrontier("--json").status()).isZero();
        String second = rows.serviceUser(org, "second", "enabled");
        rows.secret(second);
        rows.key(second);

        JsonNode summary = importFrontier("--json").json();

        assertThat(summary.at("/service_users/imported").asInt()).isEqualTo(1);
        assertThat(summary.at("/service_users/existing").asInt()).isEqualTo(1);
        assertThat(summary.at("/secrets/imported").asInt()).isEqualTo(1);
        assertThat(summary.at("/secrets/existing").asInt()).isEqualTo(1);
    }

    @Test
    @DisplayName("a rerun after an import killed between a service user's credentials and its own item finishes it")
    void resumesHalfWrittenServiceUser() throws Exception {
        String user = rows.serviceUser(org, "half", "enabled");
        Secret secret = rows.secret(user);
        rows.key(user);
        // What the killed import had written: the secret's item, not the service user's.
        dynamo.putItem(r -> r.tableName(table).item(new ClientSecretItem(secret.clientId(), user, org,
                ServiceUserState.ENABLED, secret.hash(), "credential", "2026-12-07T00:00:00Z").toItem()));

        Run run = importFrontier("--json");

        assertThat(run.json().at("/service_users/imported").asInt()).as(run.out()).isEqualTo(1);
        assertThat(run.json().get("problems")).isEmpty();
        ServiceUserItem stored = ServiceUserItem.fromItem(dynamo.getItem(r -> r.tableName(table)
                .key(ServiceUserItem.key(user)).consistentRead(true)).item()).orElseThrow();
        assertThat(stored.credentials()).hasSize(2).contains(ClientSecretItem.partitionKey(secret.clientId()));
    }

    @Test
    @DisplayName("a credential added in Frontier after the import joins its service user on the next run")
    void addsNewCredentialToExistingUser() throws Exception {
        String user = rows.serviceUser(org, "billing", "enabled");
        rows.secret(user);
        importFrontier("--json");
        Key key = rows.key(user);

        JsonNode summary = importFrontier("--json").json();

        assertThat(summary.at("/keys/imported").asInt()).isEqualTo(1);
        ServiceUserItem stored = ServiceUserItem.fromItem(dynamo.getItem(r -> r.tableName(table)
                .key(ServiceUserItem.key(user)).consistentRead(true)).item()).orElseThrow();
        assertThat(stored.credentials()).contains(PublicKeyItem.partitionKey(key.kid()));
    }

    @Test
    @DisplayName("--dry-run reports what it would import and writes nothing")
    void dryRun() throws Exception {
        String user = rows.serviceUser(org, "billing", "enabled");
        rows.secret(user);
        rows.key(user);

        Run run = importFrontier("--dry-run");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.json().at("/dry_run").asBoolean()).isTrue();
        assertThat(run.json().at("/secrets/imported").asInt()).isEqualTo(1);
        assertThat(run.err()).contains("dry run: nothing written").contains("secrets: to import 1");
        assertThat(tableItems()).isZero();
    }

    @Test
    @DisplayName("reads Frontier's schema before v0.9.1, without the type column")
    void oldSchema() throws Exception {
        newFrontier(false);
        String user = rows.serviceUser(org, "old", "disabled");
        Secret secret = rows.secret(user);
        rows.key(user);

        JsonNode summary = importFrontier("--json").json();

        assertThat(summary.at("/secrets/imported").asInt()).isEqualTo(1);
        assertThat(summary.at("/keys/imported").asInt()).isEqualTo(1);
        OAuthException refused = catchThrowableOfType(OAuthException.class,
                () -> clientSecretGrant().authorize(secretInBody(secret.clientId(), secret.secret()), new RecordedUses()));
        assertThat(refused.error().reason().code()).as("a disabled Frontier service user stays refused")
                .isEqualTo("user_disabled");
    }

    @Test
    @DisplayName("skips the bootstrap account, opaque tokens and empty credentials; refuses bad rows by id and imports the rest")
    void skipsAndRefuses() throws Exception {
        rows.serviceUser(FrontierImport.BOOTSTRAP_ACCOUNT, org, "bootstrap", "enabled");
        rows.secret(FrontierImport.BOOTSTRAP_ACCOUNT);
        String user = rows.serviceUser(org, "mixed", "enabled");
        Secret good = rows.secret(user);
        String opaque = UUID.randomUUID().toString();
        rows.credential(opaque, user, "opaque_token", "a".repeat(64), null);
        rows.credential(UUID.randomUUID().toString(), user, "client_credential", null, null);
        String sha = UUID.randomUUID().toString();
        rows.credential(sha, user, "client_credential", "sha256$abc$def", null);
        String weak = UUID.randomUUID().toString();
        KeyPairGenerator small = KeyPairGenerator.getInstance("RSA");
        small.initialize(1024);
        String weakSet = "{\"keys\":[" + new RSAKey.Builder((java.security.interfaces.RSAPublicKey)
                small.generateKeyPair().getPublic()).keyID(weak).build().toJSONString() + "]}";
        rows.credential(weak, user, "jwt_bearer", null, weakSet);
        String strange = rows.serviceUser(org, "strange", "paused");

        Run run = importFrontier();

        assertThat(run.status()).as(run.err()).isZero();
        JsonNode summary = run.json();
        assertThat(summary.at("/skipped/bootstrap_account").asInt()).isEqualTo(1);
        assertThat(summary.at("/skipped/opaque_token").asInt()).isEqualTo(1);
        assertThat(summary.at("/skipped/no_hash_or_key").asInt()).isEqualTo(1);
        assertThat(summary.at("/secrets/imported").asInt()).isEqualTo(1);
        assertThat(summary.at("/secrets/refused").asInt()).isEqualTo(1);
        assertThat(summary.at("/keys/refused").asInt()).isEqualTo(1);
        assertThat(summary.at("/service_users/refused").asInt()).isEqualTo(1);
        assertThat(summary.get("problems").toString()).contains(sha, "unknown hash format", weak, strange, "paused");
        assertThat(run.err()).contains("refused secrets " + sha).contains("skipped: bootstrap account 1");
        assertThat(storedHash(good.clientId())).isEqualTo(good.hash());
        assertThat(ServiceUserItem.fromItem(dynamo.getItem(r -> r.tableName(table)
                .key(ServiceUserItem.key(FrontierImport.BOOTSTRAP_ACCOUNT))).item())).isEmpty();
    }

    @Test
    @DisplayName("what changed in Frontier since the import is reported, not overwritten")
    void differencesReported() throws Exception {
        String user = rows.serviceUser(org, "billing", "enabled");
        Secret secret = rows.secret(user);
        importFrontier("--json");
        String[] other = FrontierRows.pairWithPlus();
        rows.execute("UPDATE serviceusers SET title = 'renamed', state = 'disabled' WHERE id = '" + user + "'");
        rows.execute("UPDATE serviceuser_credentials SET secret_hash = '" + other[1] + "' WHERE id = '"
                + secret.clientId() + "'");

        JsonNode summary = importFrontier("--json").json();

        assertThat(summary.at("/service_users/different").asInt()).isEqualTo(1);
        assertThat(summary.at("/secrets/different").asInt()).isEqualTo(secret.hash().equals(other[1]) ? 0 : 1);
        assertThat(summary.get("differences").toString()).contains(user, "title", "state");
        assertThat(storedHash(secret.clientId())).isEqualTo(secret.hash());
    }

    @Test
    @DisplayName("--org limits the import to those orgs")
    void orgFilter() throws Exception {
        String other = UUID.randomUUID().toString();
        rows.secret(rows.serviceUser(org, "ours", "enabled"));
        rows.secret(rows.serviceUser(other, "theirs", "enabled"));

        JsonNode summary = importFrontier("--json", "--org", org).json();

        assertThat(summary.at("/read/service_users").asInt()).isEqualTo(1);
        assertThat(summary.at("/service_users/imported").asInt()).isEqualTo(1);
    }

    @Test
    @DisplayName("an org id over the limits is refused before anything is read")
    void orgOverLimits() {
        Run run = importFrontier("--org", "o".repeat(FieldLimits.MAX_ORG_ID_LENGTH + 1));

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("org id");
    }

    @Test
    @DisplayName("an unreachable database, wrong credentials or no Frontier tables: one line, exit 1, nothing written")
    void badDatabases() throws Exception {
        rows.secret(rows.serviceUser(org, "x", "enabled"));
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Run unreachable = InProcessTokenCtl.run(env, "import", "frontier", "--database-url",
                "postgres://frontier:x@127.0.0.1:" + port + "/frontier");
        Run wrongPassword = InProcessTokenCtl.run(env, "import", "frontier", "--database-url",
                "postgresql://" + LocalPostgres.USER + ":wrong@127.0.0.1:" + postgres.port() + "/" + database);
        Map<String, String> withPgPassword = new HashMap<>(env);
        withPgPassword.put("PGPASSWORD", LocalPostgres.PASSWORD);
        Run noTables = InProcessTokenCtl.run(withPgPassword, "import", "frontier", "--database-url",
                "postgres://" + LocalPostgres.USER + "@127.0.0.1:" + postgres.port() + "/postgres");

        for (Run run : List.of(unreachable, wrongPassword, noTables)) {
            assertThat(run.status()).isEqualTo(1);
            assertThat(run.err().strip().lines()).hasSize(1);
        }
        assertThat(unreachable.err()).contains("cannot reach the Frontier database");
        assertThat(wrongPassword.err()).contains("refused the credentials of user frontier");
        assertThat(noTables.err()).contains("no Frontier tables");
        assertThat(tableItems()).isZero();
    }
}
