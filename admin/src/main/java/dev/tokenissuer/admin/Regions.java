package dev.tokenissuer.admin;

import dev.tokenissuer.config.RegionConfig;
import dev.tokenissuer.config.Setting;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The regions tokenctl works across, from the same settings the template takes: it writes to the table in the
 * primary region only (the global table replicates), and replicates every new signing key to each replica region.
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><th>variable</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>PRIMARY_REGION</td><td>AWS_REGION</td><td>where tokenctl writes and creates keys</td></tr>
 *   <tr><td>REPLICA_REGIONS</td><td>(none)</td><td>comma-separated: every new key is replicated to each, and
 *   the signer moves only once each has the key's replica and the table's</td></tr>
 * </table>
 *
 * @param primary  the region written to; empty when neither PRIMARY_REGION nor AWS_REGION is set (the SDK's chain)
 * @param replicas the other regions, without the primary
 */
record Regions(Optional<String> primary, List<String> replicas) {

    static Regions from(Map<String, String> env) {
        Optional<String> primary = Setting.PRIMARY_REGION.raw(env).or(() -> RegionConfig.ownRegion(env));
        List<String> replicas = Setting.REPLICA_REGIONS.list(env).stream()
                .filter(region -> !primary.equals(Optional.of(region))).distinct().toList();
        if (!replicas.isEmpty() && primary.isEmpty()) {
            throw new AdminException("REPLICA_REGIONS needs PRIMARY_REGION (or AWS_REGION): the region tokenctl writes to");
        }
        return new Regions(primary, replicas);
    }

    boolean multiRegion() {
        return !replicas.isEmpty();
    }

    /** How tokenctl says where it wrote. */
    String describe() {
        String where = primary.orElse("the default region");
        return multiRegion() ? where + " (the primary; the global table replicates to " + String.join(", ", replicas)
                + ")" : where;
    }
}
