package dev.tokenissuer.grant.exchange;

import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.RegionMetadata;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The only places a client's signed GetCallerIdentity is sent: STS's global endpoint and its regional endpoints in
 * the function's partition (from the SDK's region metadata), or, in a local run, the emulator that
 * {@code AWS_ENDPOINT_URL} names and nothing else. The client's URL only selects one of these; what is contacted is
 * always the URL built here.
 */
public final class StsEndpoints {

    private final Supplier<Set<String>> list;
    private volatile Set<String> origins;

    private StsEndpoints(Supplier<Set<String>> list) {
        this.list = list;
    }

    /**
     * Listed on first use, not when the function starts: the partition's list walks the SDK's metadata of every region,
     * about 320 ms of a cold JVM, which a container that never sees a token exchange should not pay.
     */
    private Set<String> origins() {
        Set<String> listed = origins;
        if (listed == null) {
            listed = Set.copyOf(list.get());
            origins = listed;
        }
        return listed;
    }

    /** The emulator only: a local run. */
    public static StsEndpoints only(URI endpoint) {
        Set<String> emulator = Set.of(origin(endpoint.getScheme(), endpoint.getHost(), endpoint.getPort()));
        return new StsEndpoints(() -> emulator);
    }

    /** STS of the partition {@code region} is in: the global endpoint (aws partition) and each regional one. */
    public static StsEndpoints ofPartition(String region) {
        return new StsEndpoints(() -> partitionOrigins(region));
    }

    private static Set<String> partitionOrigins(String region) {
        RegionMetadata home = RegionMetadata.of(Region.of(region));
        String partition = home == null ? "aws" : home.partition().id();
        Set<String> origins = new LinkedHashSet<>();
        if (partition.equals("aws")) {
            origins.add("https://sts.amazonaws.com");
        }
        for (Region candidate : Region.regions()) {
            RegionMetadata metadata = RegionMetadata.of(candidate);
            if (metadata != null && !candidate.isGlobalRegion() && metadata.partition().id().equals(partition)) {
                origins.add("https://sts." + candidate.id() + "." + metadata.domain());
            }
        }
        return origins;
    }

    /** From the function's environment: the emulator when {@code AWS_ENDPOINT_URL} is set, else AWS_REGION's partition. */
    public static StsEndpoints from(Optional<URI> awsEndpoint, String region) {
        return awsEndpoint.map(StsEndpoints::only).orElseGet(() -> ofPartition(region == null || region.isBlank()
                ? "us-east-1" : region));
    }

    /** The endpoint the client's {@code url} names, as {@code scheme://host[:port]}, if it is one of ours. */
    Optional<String> match(URI url) {
        if (url.getScheme() == null || url.getHost() == null || url.getRawUserInfo() != null
                || url.getRawFragment() != null) {
            return Optional.empty();
        }
        String origin = origin(url.getScheme(), url.getHost(), url.getPort());
        return origins().contains(origin) ? Optional.of(origin) : Optional.empty();
    }

    /** What a signed {@code host} header must say for {@code origin}: the host, and the port when not the default. */
    static String hostHeader(String origin) {
        return URI.create(origin).getRawAuthority();
    }

    int size() {
        return origins().size();
    }

    private static String origin(String scheme, String host, int port) {
        String lowerScheme = scheme.toLowerCase(Locale.ROOT);
        int defaultPort = lowerScheme.equals("https") ? 443 : 80;
        return lowerScheme + "://" + host.toLowerCase(Locale.ROOT) + (port < 0 || port == defaultPort ? "" : ":" + port);
    }
}
