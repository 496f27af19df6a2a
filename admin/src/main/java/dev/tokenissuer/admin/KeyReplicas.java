package dev.tokenissuer.admin;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ReplicaDescription;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.Tag;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A signing key's replicas in the replica regions (KMS multi-Region keys): the same key id and key material in each,
 * so the same kid everywhere, and each region's function signs with its own. Each replica gets the key policy of the
 * key the region's alias names (the region's stack made that policy for its own function role); tokenctl never
 * needs to know the roles.
 */
final class KeyReplicas {

    private final KmsClient primaryKms;
    private final Function<String, KmsClient> kmsIn;
    private final DynamoDbClient primaryDynamo;
    private final String table;
    private final List<String> regions;

    KeyReplicas(KmsClient primaryKms, Function<String, KmsClient> kmsIn, DynamoDbClient primaryDynamo, String table,
                List<String> regions) {
        this.primaryKms = primaryKms;
        this.kmsIn = kmsIn;
        this.primaryDynamo = primaryDynamo;
        this.table = table;
        this.regions = List.copyOf(regions);
    }

    static KeyReplicas none() {
        return new KeyReplicas(null, region -> {
            throw new IllegalStateException("no replica regions");
        }, null, null, List.of());
    }

    List<String> regions() {
        return regions;
    }

    /**
     * Replicates {@code keyId} (a multi-Region primary) to each region that lacks it, with the policy of the key the
     * region's {@code alias} names. Refuses, naming the region, when a region has no such key to take the policy
     * from (its stack is not deployed).
     */
    void replicate(String keyId, String alias, List<Tag> tags, PrintStream progress) {
        replicate(keyId, alias, tags, progress, Optional.empty());
    }

    /**
     * As {@link #replicate(String, String, List, PrintStream)}, but a region whose alias names no key yet gets
     * {@code policy} ({@code signing-key create}: the first key, where no stack made one).
     */
    void replicate(String keyId, String alias, List<Tag> tags, PrintStream progress, Optional<String> firstPolicy) {
        for (String region : regions) {
            if (describe(region, keyId).isPresent()) {
                continue;
            }
            KmsClient local = kmsIn.apply(region);
            Optional<KeyMetadata> regionsKey = describe(region, alias);
            if (regionsKey.isEmpty() && firstPolicy.isEmpty()) {
                throw new AdminException(region + " lacks the signing key's replica and " + alias + " names no key "
                        + "there to take its key policy from: deploy that region's stack first (docs/multi-region.md)");
            }
            String policy = regionsKey.map(key -> local.getKeyPolicy(r -> r.keyId(key.keyId()).policyName("default"))
                    .policy()).orElseGet(firstPolicy::get);
            try {
                primaryKms.replicateKey(r -> r.keyId(keyId).replicaRegion(region).policy(policy).tags(tags)
                        .description("token-issuer access token signing key (replica)"));
            } catch (RuntimeException e) {
                throw new AdminException("replicating key " + keyId + " to " + region + " failed: " + e.getMessage()
                        + "; run the command again to retry", e);
            }
            progress.println("tokenctl: replicated key " + keyId + " to " + region);
        }
    }

    /**
     * What each region lacks for {@code keyId} to sign there: an enabled replica of the key, a replica of the table.
     * Empty when every region has both.
     */
    List<String> missing(String keyId) {
        List<String> missing = new ArrayList<>();
        if (regions.isEmpty()) {
            return missing;
        }
        List<String> tableReplicas = tableReplicas();
        for (String region : regions) {
            Optional<KeyMetadata> replica = describe(region, keyId);
            if (replica.isEmpty()) {
                missing.add(region + " lacks the replica of key " + keyId);
            } else if (replica.get().keyState() != KeyState.ENABLED) {
                missing.add(region + "'s replica of key " + keyId + " is " + replica.get().keyStateAsString());
            }
            if (!tableReplicas.contains(region)) {
                missing.add(region + " lacks a replica of table " + table);
            }
        }
        return missing;
    }

    /** The replica regions that hold {@code keyId}. */
    List<String> holding(String keyId) {
        return regions.stream().filter(region -> describe(region, keyId).isPresent()).toList();
    }

    /** Points {@code alias} at {@code keyId} in every replica region. */
    void moveAlias(String alias, String keyId) {
        for (String region : regions) {
            KmsClient local = kmsIn.apply(region);
            if (describe(region, alias).isPresent()) {
                local.updateAlias(r -> r.aliasName(alias).targetKeyId(keyId));
            } else {
                local.createAlias(r -> r.aliasName(alias).targetKeyId(keyId));
            }
        }
    }

    /** Disables {@code keyId}'s replicas. */
    void disable(String keyId) {
        for (String region : holding(keyId)) {
            kmsIn.apply(region).disableKey(r -> r.keyId(keyId));
        }
    }

    /** Schedules {@code keyId}'s replicas for deletion (before its primary, which KMS requires). */
    void scheduleDeletion(String keyId) {
        for (String region : holding(keyId)) {
            kmsIn.apply(region).scheduleKeyDeletion(r -> r.keyId(keyId).pendingWindowInDays(7));
        }
    }

    private List<String> tableReplicas() {
        TableDescription description = primaryDynamo.describeTable(r -> r.tableName(table)).table();
        return description.replicas().stream().map(ReplicaDescription::regionName).toList();
    }

    private Optional<KeyMetadata> describe(String region, String keyIdOrAlias) {
        try {
            return Optional.of(kmsIn.apply(region).describeKey(r -> r.keyId(keyIdOrAlias)).keyMetadata());
        } catch (NotFoundException missing) {
            return Optional.empty();
        }
    }
}
