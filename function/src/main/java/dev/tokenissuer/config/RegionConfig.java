package dev.tokenissuer.config;

import java.util.Map;
import java.util.Optional;

/**
 * Where the function runs and, in a multi-region deployment, where it records single-use identifiers.
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><th>variable</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>AWS_REGION</td><td>(Lambda sets it)</td><td>this instance's region: its table replica and its KMS
 *   key replica</td></tr>
 *   <tr><td>REPLAY_REGION</td><td>AWS_REGION</td><td>the region whose table replica holds every replay record
 *   (the jti of assertions and DPoP proofs): the primary region of a multi-region deployment, so that each is
 *   accepted once across all regions (docs/multi-region.md)</td></tr>
 * </table>
 *
 * @param region       this instance's region; empty where none is configured (a developer's default chain)
 * @param replayRegion the other region replay records are written to; empty when they are written locally
 */
public record RegionConfig(Optional<String> region, Optional<String> replayRegion) {

    public static RegionConfig fromEnvironment() {
        return from(System.getenv());
    }

    public static RegionConfig from(Map<String, String> env) {
        Optional<String> region = ownRegion(env);
        Optional<String> replay = Setting.REPLAY_REGION.raw(env);
        if (replay.isPresent() && !replay.get().matches("[a-z]{2}(-[a-z]+)+-[0-9]")) {
            throw new IllegalArgumentException("REPLAY_REGION must be a region name such as us-east-1");
        }
        return new RegionConfig(region, replay.filter(name -> !region.equals(Optional.of(name))));
    }

    /** The region this process runs in, as the SDK reads it: AWS_REGION, else AWS_DEFAULT_REGION. */
    public static Optional<String> ownRegion(Map<String, String> env) {
        return nonBlank(env.get("AWS_REGION")).or(() -> nonBlank(env.get("AWS_DEFAULT_REGION")));
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
