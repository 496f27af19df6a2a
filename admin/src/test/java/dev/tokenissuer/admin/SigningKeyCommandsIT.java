package dev.tokenissuer.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenissuer.admin.InProcessTokenCtl.Run;
import dev.tokenissuer.store.VerificationSet.Role;
import dev.tokenissuer.store.VerificationSet;
import dev.tokenissuer.testing.AwsEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.Tag;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.tokenissuer.admin.TokenCtlIT.tokenctlWith;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tokenctl signing-key ...} against the emulator. Each test gets its own table and alias; the refresh interval
 * and max-age are 1 s, so a rotation publishes its key 2 s before it signs.
 */
class SigningKeyCommandsIT {

    private static KmsClient kms;
    private static DynamoDbClient dynamo;

    private Map<String, String> env;
    private String table;
    private String alias;

    @BeforeAll
    static void connect() {
        kms = AwsEmulator.kms();
        dynamo = AwsEmulator.dynamo();
    }

    @AfterAll
    static void close() {
        kms.close();
        dynamo.close();
    }

    /** A fresh deployment: its own table and alias, bootstrapped with {@code bootstrapArgs}. */
    private JsonNode bootstrap(String... bootstrapArgs) {
        table = "signing-keys-" + UUID.randomUUID();
        alias = "alias/signing-keys-" + UUID.randomUUID();
        env = new HashMap<>(AwsEmulator.environment(table, alias));
        env.put("SIGNING_KEYS_REFRESH_SECONDS", "1");
        env.put("JWKS_MAX_AGE_SECONDS", "1");
        String[] args = new String[bootstrapArgs.length + 1];
        args[0] = "bootstrap";
        System.arraycopy(bootstrapArgs, 0, args, 1, bootstrapArgs.length);
        return ok(args);
    }

    private JsonNode ok(String... args) {
        Run run = tokenctlWith(env, args);
        assertThat(run.status()).as("tokenctl %s: %s", String.join(" ", args), run.err()).isZero();
        return run.json();
    }

    private Run fails(String... args) {
        Run run = tokenctlWith(env, args);
        assertThat(run.status()).as("tokenctl %s: %s", String.join(" ", args), run.out()).isNotZero();
        assertThat(run.out()).isEmpty();
        return run;
    }

    private String aliasTarget() {
        return kms.describeKey(r -> r.keyId(alias)).keyMetadata().keyId();
    }

    private VerificationSet storedSet() {
        return new SigningKeyStore(dynamo, table).read();
    }

    @Test
    @DisplayName("bootstrap records the key it creates as the signing key, and a second run changes nothing")
    void bootstrapRecordsTheInitialKey() {
        JsonNode bootstrapped = bootstrap();

        JsonNode list = ok("signing-key", "list");
        assertThat(list.get("keys")).hasSize(1);
        JsonNode key = list.get("keys").get(0);
        assertThat(key.get("key_id").asText()).isEqualTo(bootstrapped.get("signing_key_id").asText())
                .isEqualTo(aliasTarget());
        assertThat(key.get("kid").asText()).isEqualTo(bootstrapped.get("kid").asText()).isNotBlank();
        assertThat(key.get("role").asText()).isEqualTo("signing");
        assertThat(key.get("signs_now").asBoolean()).isTrue();
        assertThat(key.get("alg").asText()).isEqualTo("RS256");

        long version = storedSet().version();
        ok("bootstrap");
        assertThat(storedSet().version()).isEqualTo(version);
    }

    @Test
    @DisplayName("create makes the key and the alias, and refuses when the alias already names a key")
    void create() {
        bootstrap();
        String existing = aliasTarget();

        Run again = fails("signing-key", "create");
        assertThat(again.status()).isEqualTo(1);
        assertThat(again.err()).contains("already names").contains("rotate");
        assertThat(aliasTarget()).isEqualTo(existing);

        env.put("SIGNING_KEY_ID", "alias/created-" + UUID.randomUUID());
        alias = env.get("SIGNING_KEY_ID");
        JsonNode created = ok("signing-key", "create", "--spec", "ECC_NIST_P384");
        assertThat(created.get("key_id").asText()).isEqualTo(aliasTarget());
        assertThat(created.get("alg").asText()).isEqualTo("ES384");
        assertThat(created.get("role").asText()).isEqualTo("signing");
    }

    @Test
    @DisplayName("rotate makes a key of the same spec with the old key's policy, moves the alias, keeps the old key")
    void rotate() {
        bootstrap();
        String original = aliasTarget();
        String policy = """
                {"Version":"2012-10-17","Statement":[
                {"Sid":"FunctionSignsTokens","Effect":"Allow",
                "Principal":{"AWS":"arn:aws:iam::123456789012:role/token-issuer-fn"},
                "Action":["kms:Sign","kms:GetPublicKey"],"Resource":"*"}]}""";
        kms.putKeyPolicy(r -> r.keyId(original).policyName("default").policy(policy));

        long started = System.nanoTime();
        Run rotation = tokenctlWith(env, "signing-key", "rotate", "--publish-lead", "2");
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertThat(rotation.status()).as(rotation.err()).isZero();
        assertThat(millis).as("the new key was published 2 s before it signed").isGreaterThanOrEqualTo(2000);
        assertThat(rotation.err()).contains("waiting 2 s").contains("--publish-lead").contains("signs now");
        String rotated = aliasTarget();
        assertThat(rotated).isNotEqualTo(original);
        JsonNode result = rotation.json();
        assertThat(result.get("signing").get("key_id").asText()).isEqualTo(rotated);
        assertThat(result.get("signing").get("key_spec").asText()).isEqualTo("RSA_2048");
        assertThat(result.get("previous").get("key_id").asText()).isEqualTo(original);
        assertThat(Instant.parse(result.get("previous_retirable_after").asText()))
                .isAfter(Instant.now().plusSeconds(3600));
        assertThat(kms.getKeyPolicy(r -> r.keyId(rotated).policyName("default")).policy()).isEqualTo(policy);
        assertThat(kms.listResourceTags(r -> r.keyId(rotated)).tags())
                .contains(Tag.builder().tagKey(SigningKeyAdmin.ALIAS_TAG).tagValue(alias).build());

        JsonNode keys = ok("signing-key", "list").get("keys");
        assertThat(keys).hasSize(2);
        assertThat(keys.get(0).get("key_id").asText()).isEqualTo(rotated);
        assertThat(keys.get(0).get("signs_now").asBoolean()).isTrue();
        assertThat(keys.get(1).get("key_id").asText()).isEqualTo(original);
        assertThat(keys.get(1).get("role").asText()).isEqualTo("previous");
        assertThat(keys.get(1).get("stopped_signing_at").asText()).isNotBlank();
    }

    @Test
    @DisplayName("rotate --spec changes the key type: RSA to P-256 signs ES256")
    void rotateToAnotherSpec() {
        bootstrap();

        JsonNode result = ok("signing-key", "rotate", "--spec", "ECC_NIST_P256", "--publish-lead", "0");

        assertThat(result.get("signing").get("key_spec").asText()).isEqualTo("ECC_NIST_P256");
        assertThat(result.get("signing").get("alg").asText()).isEqualTo("ES256");
        assertThat(result.get("previous").get("alg").asText()).isEqualTo("RS256");
    }

    @Test
    @DisplayName("an interrupted rotation is resumed with the key it published, not a second new key")
    void resumesAnInterruptedRotation() throws Exception {
        bootstrap();
        env.put("SIGNING_KEYS_REFRESH_SECONDS", "3");
        String original = aliasTarget();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        String published;
        try {
            Future<Run> interrupted = pool.submit(() ->
                    tokenctlWith(env, "signing-key", "rotate", "--publish-lead", "6"));
            published = waitForNextKey();
            interrupted.cancel(true); // Ctrl-C while it waits
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            pool.shutdownNow();
        }
        assertThat(aliasTarget()).isEqualTo(original);

        Run resumed = tokenctlWith(env, "signing-key", "rotate", "--publish-lead", "6");

        assertThat(resumed.status()).as(resumed.err()).isZero();
        assertThat(resumed.err()).contains("resuming");
        assertThat(aliasTarget()).isEqualTo(published);
        assertThat(storedSet().keyIds()).containsExactly(published, original);
    }

    @Test
    @DisplayName("rotate after an alias moved by hand records the move, and starts no second rotation")
    void recordsAnAliasMovedOutsideARotation() throws Exception {
        bootstrap();
        String original = aliasTarget();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        String published;
        env.put("SIGNING_KEYS_REFRESH_SECONDS", "3");
        try {
            Future<Run> interrupted = pool.submit(() ->
                    tokenctlWith(env, "signing-key", "rotate", "--publish-lead", "6"));
            published = waitForNextKey();
            interrupted.cancel(true);
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        kms.updateAlias(r -> r.aliasName(alias).targetKeyId(published));

        Run finished = tokenctlWith(env, "signing-key", "rotate", "--publish-lead", "6");

        assertThat(finished.status()).as(finished.err()).isZero();
        assertThat(finished.err()).contains("interrupted rotation");
        assertThat(aliasTarget()).isEqualTo(published);
        assertThat(storedSet().keys()).extracting(VerificationSet.Key::keyId, VerificationSet.Key::role)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(published, Role.SIGNING),
                        org.assertj.core.groups.Tuple.tuple(original, Role.PREVIOUS));
    }

    @Test
    @DisplayName("retire refuses the signing key, and an old key whose tokens may be unexpired unless --force")
    void retireRefusesEarly() {
        bootstrap();
        String original = aliasTarget();
        ok("signing-key", "rotate", "--publish-lead", "2");
        String current = aliasTarget();

        Run signer = fails("signing-key", "retire", current, "--force");
        assertThat(signer.status()).isEqualTo(1);
        assertThat(signer.err()).contains("signs tokens now");

        Run early = fails("signing-key", "retire", original);
        assertThat(early.status()).isEqualTo(1);
        assertThat(early.err()).contains("may be unexpired until").contains("--force");
        assertThat(storedSet().keyIds()).contains(original);

        String kid = storedSet().find(original).orElseThrow().kid();
        JsonNode forced = ok("signing-key", "retire", kid, "--force");
        assertThat(forced.get("key_id").asText()).isEqualTo(original);
        assertThat(forced.get("forced").asBoolean()).isTrue();
        assertThat(storedSet().keyIds()).containsExactly(current);
        assertThat(kms.describeKey(r -> r.keyId(original)).keyMetadata().enabled()).as("disabled in KMS").isFalse();
    }

    @Test
    @DisplayName("retire takes an old key without --force once its last token has expired, plus refresh and skew")
    void retireAfterTheTokensExpired() {
        bootstrap();
        String original = aliasTarget();
        ok("signing-key", "rotate", "--publish-lead", "2");
        // Pretend the rotation was an hour and a half ago (TTL 1 h + refresh + 5 min skew have passed).
        new SigningKeyStore(dynamo, table).update(set -> set.withKeys(set.keys().stream()
                .map(key -> key.keyId().equals(original)
                        ? key.withRole(Role.PREVIOUS, Instant.now().minusSeconds(5400)) : key)
                .toList()));

        JsonNode retired = ok("signing-key", "retire", original);

        assertThat(retired.get("forced").asBoolean()).isFalse();
        assertThat(ok("signing-key", "list").get("keys")).hasSize(1);
    }

    @Test
    @DisplayName("explains wrong invocations: unknown spec, missing KEY_ID, unknown key, an id instead of an alias")
    void wrongInvocations() {
        bootstrap();

        Run badSpec = fails("signing-key", "rotate", "--spec", "HMAC_256");
        assertThat(badSpec.status()).isEqualTo(2);
        assertThat(badSpec.err()).contains("--spec must be one of");
        Run badLead = fails("signing-key", "rotate", "--publish-lead", "-1");
        assertThat(badLead.status()).isEqualTo(2);
        assertThat(badLead.err()).contains("--publish-lead must be whole seconds");
        assertThat(fails("signing-key", "retire").status()).isEqualTo(2);
        Run unknown = fails("signing-key", "retire", "no-such-key");
        assertThat(unknown.status()).isEqualTo(1);
        assertThat(unknown.err()).contains("no key no-such-key");

        env.put("SIGNING_KEY_ID", aliasTarget());
        Run byId = fails("signing-key", "rotate");
        assertThat(byId.status()).isEqualTo(1);
        assertThat(byId.err()).contains("alias");
    }

    private String waitForNextKey() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            var next = storedSet().keyWithRole(Role.NEXT);
            if (next.isPresent()) {
                return next.get().keyId();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the rotation published no key");
    }
}
