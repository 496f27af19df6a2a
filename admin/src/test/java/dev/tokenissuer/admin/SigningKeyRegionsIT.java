package dev.tokenissuer.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenissuer.admin.InProcessTokenCtl.Run;
import dev.tokenissuer.store.VerificationSet;
import dev.tokenissuer.store.VerificationSet.Role;
import dev.tokenissuer.store.DynamoVerificationSetStore;
import dev.tokenissuer.testing.AwsEmulator;
import dev.tokenissuer.testing.EmulatedRegions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static dev.tokenissuer.admin.TokenCtlIT.tokenctlWith;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tokenctl signing-key ...} across regions (us-east-1 primary, eu-west-1 and ap-southeast-2 replicas), against
 * the emulator's multi-Region keys and global tables. Each replica region starts as its stack leaves it: an alias
 * naming a key whose policy is that region's own (here a marker policy), which every key replica there must get.
 */
class SigningKeyRegionsIT {

    private static final String PRIMARY = "us-east-1";
    private static final String EUROPE = "eu-west-1";
    private static final String SYDNEY = "ap-southeast-2";

    private static final Map<String, KmsClient> KMS = new HashMap<>();
    private static DynamoDbClient primaryDynamo;

    private Map<String, String> env;
    private String table;
    private String alias;

    @BeforeAll
    static void connect() {
        for (String region : new String[] {PRIMARY, EUROPE, SYDNEY}) {
            KMS.put(region, EmulatedRegions.kms(region));
        }
        primaryDynamo = EmulatedRegions.dynamo(PRIMARY);
    }

    @AfterAll
    static void close() {
        KMS.values().forEach(KmsClient::close);
        primaryDynamo.close();
    }

    /** A single-region key (as a deployment before multi-region has), the stacks' aliases in each region. */
    @BeforeEach
    void deploy() {
        table = EmulatedRegions.newGlobalTable(primaryDynamo, EUROPE);
        alias = "alias/regions-" + UUID.randomUUID();
        String oldKey = KMS.get(PRIMARY).createKey(r -> r.keySpec(KeySpec.ECC_NIST_P256)
                .keyUsage(KeyUsageType.SIGN_VERIFY)).keyMetadata().keyId();
        KMS.get(PRIMARY).createAlias(r -> r.aliasName(alias).targetKeyId(oldKey));
        for (String region : new String[] {EUROPE, SYDNEY}) {
            String stackKey = KMS.get(region).createKey(r -> r.keySpec(KeySpec.ECC_NIST_P256)
                    .keyUsage(KeyUsageType.SIGN_VERIFY).policy(policyOf(region))).keyMetadata().keyId();
            KMS.get(region).createAlias(r -> r.aliasName(alias).targetKeyId(stackKey));
        }
        env = new HashMap<>(AwsEmulator.environment(table, alias));
        env.put("SIGNING_KEYS_REFRESH_SECONDS", "1");
        env.put("JWKS_MAX_AGE_SECONDS", "1");
        env.put("PRIMARY_REGION", PRIMARY);
        env.put("REPLICA_REGIONS", EUROPE);
        assertThat(tokenctlWith(env, "bootstrap").status()).isZero();
    }

    /** A key policy that names its region, standing in for one that names that region's function role. */
    private static String policyOf(String region) {
        return "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"FunctionSignsTokensIn" + region.replace("-", "")
                + "\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"*\"}, \"Action\": [\"kms:Sign\"], "
                + "\"Resource\": \"*\"}]}";
    }

    private String aliasTarget(String region) {
        return KMS.get(region).describeKey(r -> r.keyId(alias)).keyMetadata().keyId();
    }

    private VerificationSet set() {
        return new DynamoVerificationSetStore(primaryDynamo, table).read();
    }

    @Test
    @DisplayName("a single-region key moves to multi-Region by an ordinary rotation: the new key is replicated to every "
            + "region, with that region's policy, before it is published, and the alias moves in each")
    void rotationMakesTheKeyMultiRegion() {
        String oldKey = aliasTarget(PRIMARY);
        Run rotate = tokenctlWith(env, "signing-key", "rotate", "--publish-lead", "0");
        assertThat(rotate.status()).as(rotate.err()).isZero();
        String newKey = rotate.json().at("/signing/key_id").asText();

        assertThat(newKey).startsWith("mrk-");
        assertThat(aliasTarget(PRIMARY)).isEqualTo(newKey);
        assertThat(aliasTarget(EUROPE)).as("the replica region's alias").isEqualTo(newKey);
        assertThat(KMS.get(EUROPE).getKeyPolicy(r -> r.keyId(newKey).policyName("default")).policy())
                .as("the replica has its region's policy, not the primary's").contains("FunctionSignsTokensIneuwest1");
        assertThat(KMS.get(EUROPE).getPublicKey(r -> r.keyId(newKey)).publicKey())
                .as("same key material in each region").isEqualTo(
                        KMS.get(PRIMARY).getPublicKey(r -> r.keyId(newKey)).publicKey());
        assertThat(rotate.err()).contains("tokenctl: table " + table + " in us-east-1 (the primary; the global table "
                + "replicates to eu-west-1)");
        assertThat(rotate.err().indexOf("replicated key " + newKey + " to eu-west-1"))
                .as("replicated before published").isLessThan(rotate.err().indexOf("published key " + newKey));
        assertThat(set().keyWithRole(Role.SIGNING).orElseThrow().keyId()).isEqualTo(newKey);
        assertThat(set().find(oldKey).orElseThrow().role()).isEqualTo(Role.PREVIOUS);
    }

    @Test
    @DisplayName("signing-key list shows the replica regions of each key")
    void listShowsReplicas() {
        String oldKey = aliasTarget(PRIMARY);
        assertThat(tokenctlWith(env, "signing-key", "rotate", "--publish-lead", "0").status()).isZero();
        JsonNode keys = tokenctlWith(env, "signing-key", "list").json().get("keys");
        assertThat(keys.get(0).get("signs_now").asBoolean()).isTrue();
        assertThat(keys.get(0).get("replicas").toString()).isEqualTo("[\"eu-west-1\"]");
        assertThat(keys.get(1).get("key_id").asText()).isEqualTo(oldKey);
        assertThat(keys.get(1).get("replicas").toString()).as("the single-region key").isEqualTo("[]");
    }

    @Test
    @DisplayName("refuses to move the signer when a region lacks the table's replica, naming the region; every "
            + "region keeps signing with the previous key")
    void refusesWithoutTheTableReplica() {
        String oldKey = aliasTarget(PRIMARY);
        env.put("REPLICA_REGIONS", EUROPE + "," + SYDNEY);
        Run rotate = tokenctlWith(env, "signing-key", "rotate", "--publish-lead", "0");

        assertThat(rotate.status()).isNotZero();
        assertThat(rotate.err()).contains("ap-southeast-2 lacks a replica of table " + table)
                .doesNotContain("eu-west-1 lacks");
        assertThat(aliasTarget(PRIMARY)).isEqualTo(oldKey);
        assertThat(set().keyWithRole(Role.SIGNING).orElseThrow().keyId()).isEqualTo(oldKey);
        String next = set().keyWithRole(Role.NEXT).orElseThrow().keyId();
        assertThat(KMS.get(SYDNEY).describeKey(r -> r.keyId(next)).keyMetadata().keyId())
                .as("the key itself was replicated there").isEqualTo(next);

        EmulatedRegions.addReplicas(primaryDynamo, table, SYDNEY);
        Run resumed = tokenctlWith(env, "signing-key", "rotate", "--publish-lead", "0");
        assertThat(resumed.status()).as(resumed.err()).isZero();
        assertThat(aliasTarget(SYDNEY)).isEqualTo(next);
    }

    @Test
    @DisplayName("refuses to move the signer while a region's replica of the new key cannot sign, naming the region")
    void refusesWithoutAUsableKeyReplica() {
        String oldKey = aliasTarget(PRIMARY);
        env.put("REPLICA_REGIONS", EUROPE + "," + SYDNEY);
        assertThat(tokenctlWith(env, "signing-key", "rotate", "--publish-lead", "0").status())
                .as("stopped by the missing table replica, with the new key published").isNotZero();
        String next = set().keyWithRole(Role.NEXT).orElseThrow().keyId();
        EmulatedRegions.addReplicas(primaryDynamo, table, SYDNEY);
        KMS.get(EUROPE).disableKey(r -> r.keyId(next));

        Run refused = tokenctlWith(env, "signing-key", "rotate", "--publish-lead", "0");
        assertThat(refused.status()).isNotZero();
        assertThat(refused.err()).contains("eu-west-1's replica of key " + next + " is Disabled")
                .contains("Every region keeps signing with key " + oldKey);
        assertThat(aliasTarget(PRIMARY)).isEqualTo(oldKey);
        assertThat(aliasTarget(EUROPE)).isNotEqualTo(next);

        KMS.get(EUROPE).enableKey(r -> r.keyId(next));
        assertThat(tokenctlWith(env, "signing-key", "rotate", "--publish-lead", "0").status()).isZero();
        assertThat(aliasTarget(EUROPE)).isEqualTo(next);
    }
}
