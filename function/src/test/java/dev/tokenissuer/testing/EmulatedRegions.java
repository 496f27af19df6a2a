package dev.tokenissuer.testing;

import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ReplicationGroupUpdate;
import software.amazon.awssdk.services.kms.KmsClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/**
 * Several regions of the emulator (scripts/aws_emulator.py keeps each region's data apart): clients per region, a
 * global table, and the control of its replication lag and of a regional outage.
 */
public final class EmulatedRegions {

    private EmulatedRegions() {
    }

    public static KmsClient kms(String region) {
        return KmsClient.builder().endpointOverride(AwsEmulator.endpoint()).region(Region.of(region))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    public static DynamoDbClient dynamo(String region) {
        return DynamoDbClient.builder().endpointOverride(AwsEmulator.endpoint()).region(Region.of(region))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    /** A new table in {@code primary}'s region with a replica in each of {@code replicas}; returns its name. */
    public static String newGlobalTable(DynamoDbClient primary, String... replicas) {
        String name = AwsEmulator.newTable(primary);
        addReplicas(primary, name, replicas);
        return name;
    }

    public static void addReplicas(DynamoDbClient primary, String table, String... replicas) {
        primary.updateTable(r -> r.tableName(table).replicaUpdates(List.of(replicas).stream()
                .map(region -> ReplicationGroupUpdate.builder().create(c -> c.regionName(region)).build())
                .toList()));
    }

    /** How long a write takes to reach the other replicas, from now on. */
    public static void replicationLag(long millis) {
        control("{\"replication_lag_millis\": " + millis + "}");
    }

    /** Takes these regions down (every call answered 503), and brings the others back. */
    public static void unavailable(String... regions) {
        control("{\"unavailable_regions\": [" + String.join(", ", List.of(regions).stream()
                .map(region -> "\"" + region + "\"").toList()) + "]}");
    }

    /** Writes not yet replicated. */
    public static int pendingReplication() {
        String body = control(null);
        return Integer.parseInt(body.replaceAll("(?s).*\"pending\": *([0-9]+).*", "$1"));
    }

    private static String control(String json) {
        URI uri = AwsEmulator.endpoint().resolve("/_emulator/regions");
        HttpRequest.Builder request = HttpRequest.newBuilder(uri);
        request = json == null ? request.GET() : request.POST(HttpRequest.BodyPublishers.ofString(json));
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the emulator's region control answered " + response.statusCode()
                        + ": is it scripts/aws_emulator.py?");
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
