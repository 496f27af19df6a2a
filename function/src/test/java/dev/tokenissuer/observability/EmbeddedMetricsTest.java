package dev.tokenissuer.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenissuer.api.RequestLog;
import dev.tokenissuer.grant.RefusalReason;
import dev.tokenissuer.http.Endpoints;
import dev.tokenissuer.store.ServiceUserState;
import dev.tokenissuer.testing.FakeCredentialStore;
import dev.tokenissuer.testing.LocalSigningKeys;
import dev.tokenissuer.testing.Requests;
import dev.tokenissuer.testing.TestApis;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.tokenissuer.testing.TestCredentials.CLIENT_ID;
import static dev.tokenissuer.testing.TestCredentials.CLIENT_SECRET;
import static dev.tokenissuer.testing.TestCredentials.basic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The metric lines, held to CloudWatch's Embedded Metric Format specification (AmazonCloudWatch/latest/monitoring/
 * CloudWatch_Embedded_Metric_Format_Specification): what CloudWatch Logs needs to extract a metric from a line.
 */
class EmbeddedMetricsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00.123Z");
    private static final String NAMESPACE = "TokenIssuer/test-stack";
    /** The units the specification's schema allows. */
    private static final Set<String> UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes",
            "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent",
            "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
            "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second",
            "None");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final RequestLog log = new JsonLinesRequestLog(new PrintStream(out, true, StandardCharsets.UTF_8),
            NAMESPACE, Clock.fixed(NOW, ZoneOffset.UTC));

    private List<JsonNode> metricLines() throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).lines().toList()) {
            JsonNode node = JSON.readTree(line);
            if (node.has("_aws")) {
                lines.add(node);
            }
        }
        return lines;
    }

    /** Every rule of the specification a document can break, checked; returns metric name to dimension value. */
    static Map<String, String> assertValidEmf(JsonNode root) {
        assertThat(root.isObject()).isTrue();
        JsonNode aws = root.get("_aws");
        assertThat(aws.isObject()).isTrue();
        assertThat(fieldNames(aws)).containsExactlyInAnyOrder("Timestamp", "CloudWatchMetrics");
        assertThat(aws.get("Timestamp").isIntegralNumber()).as("Timestamp: milliseconds, an integer").isTrue();
        JsonNode directives = aws.get("CloudWatchMetrics");
        assertThat(directives.isArray()).isTrue();
        Map<String, String> found = new HashMap<>();
        for (JsonNode directive : directives) {
            assertThat(fieldNames(directive)).containsExactlyInAnyOrder("Namespace", "Dimensions", "Metrics");
            assertThat(directive.get("Namespace").asText()).hasSizeBetween(1, 1024);
            JsonNode dimensionSets = directive.get("Dimensions");
            assertThat(dimensionSets.isArray() && dimensionSets.size() >= 1).isTrue();
            String dimensionValue = null;
            for (JsonNode set : dimensionSets) {
                assertThat(set.isArray() && set.size() <= 30).isTrue();
                for (JsonNode key : set) {
                    assertThat(key.asText()).hasSizeBetween(1, 250);
                    JsonNode target = root.get(key.asText());
                    assertThat(target).as("dimension target " + key).isNotNull();
                    assertThat(target.isTextual()).as("a dimension target is a string").isTrue();
                    assertThat(target.asText()).hasSizeBetween(1, 1024);
                    dimensionValue = target.asText();
                }
            }
            JsonNode metrics = directive.get("Metrics");
            assertThat(metrics.isArray() && metrics.size() <= 100).isTrue();
            for (JsonNode definition : metrics) {
                assertThat(Set.of("Name", "Unit", "StorageResolution")).containsAll(fieldNames(definition));
                String name = definition.get("Name").asText();
                assertThat(name).hasSizeBetween(1, 255);
                assertThat(UNITS).contains(definition.path("Unit").asText("None"));
                JsonNode target = root.get(name);
                assertThat(target).as("metric target " + name).isNotNull();
                assertThat(target.isNumber()).as("a metric target is a number").isTrue();
                found.put(name, dimensionValue);
            }
        }
        assertThat(root.toString().getBytes(StandardCharsets.UTF_8).length).isLessThan(256 * 1024);
        return found;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    @Test
    @DisplayName("an issued token counts in TokensIssued by grant type and TokenLatency by outcome, in one EMF line")
    void issuedTokenMetrics() throws Exception {
        TestApis.create(new FakeCredentialStore().withDemoCredential(ServiceUserState.ENABLED),
                LocalSigningKeys.rsa(), log).handle(Requests.post(Endpoints.TOKEN_PATH)
                .header("Authorization", basic(CLIENT_ID, CLIENT_SECRET)).form("grant_type=client_credentials").build());

        List<JsonNode> lines = metricLines();
        assertThat(lines).hasSize(1);
        JsonNode line = lines.get(0);
        assertThat(assertValidEmf(line)).containsOnly(
                Map.entry(Metric.TOKENS_ISSUED.metricName(), "client_credentials"),
                Map.entry(Metric.TOKEN_LATENCY.metricName(), "issued"));
        assertThat(line.get("_aws").get("Timestamp").asLong()).isEqualTo(NOW.toEpochMilli());
        assertThat(line.get("_aws").get("CloudWatchMetrics").get(0).get("Namespace").asText()).isEqualTo(NAMESPACE);
        assertThat(line.get(Metric.TOKENS_ISSUED.metricName()).asDouble()).isEqualTo(1);
    }

    @Test
    @DisplayName("a refusal counts in TokenRefusals by reason code, never by client")
    void refusalMetrics() throws Exception {
        TestApis.create(new FakeCredentialStore(), LocalSigningKeys.rsa(), log).handle(
                Requests.post(Endpoints.TOKEN_PATH).header("Authorization", basic(CLIENT_ID, CLIENT_SECRET))
                        .form("grant_type=client_credentials").build());

        JsonNode line = metricLines().get(0);
        assertThat(assertValidEmf(line)).containsOnly(
                Map.entry(Metric.TOKEN_REFUSALS.metricName(), RefusalReason.UNKNOWN_CLIENT.code()),
                Map.entry(Metric.TOKEN_LATENCY.metricName(), "refused"));
        assertThat(line.toString()).doesNotContain(CLIENT_ID);
    }

    @Test
    @DisplayName("a dependency timeout counts in TokenFailures and DependencyFaults by service")
    void dependencyFaultMetrics() throws Exception {
        DynamoDbException dynamo = (DynamoDbException) DynamoDbException.builder().statusCode(500).message("x").build();
        TestApis.create(new FakeCredentialStore().failingWith(dynamo), LocalSigningKeys.rsa(), log).handle(
                Requests.post(Endpoints.TOKEN_PATH).header("Authorization", basic(CLIENT_ID, CLIENT_SECRET))
                        .form("grant_type=client_credentials").build());
        TestApis.create(new FakeCredentialStore().failingWith(ApiCallTimeoutException.create(3000)),
                LocalSigningKeys.rsa(), log).handle(Requests.post(Endpoints.TOKEN_PATH)
                .header("Authorization", basic(CLIENT_ID, CLIENT_SECRET)).form("grant_type=client_credentials").build());

        List<JsonNode> lines = metricLines();
        assertThat(assertValidEmf(lines.get(0))).containsOnly(
                Map.entry(Metric.TOKEN_FAILURES.metricName(), RefusalReason.DEPENDENCY_ERROR.code()),
                Map.entry(Metric.TOKEN_LATENCY.metricName(), "failed"),
                Map.entry(Metric.DEPENDENCY_FAULTS.metricName(), "DynamoDB"));
        // A timeout thrown outside an SDK client names no service: it is counted, under Other.
        assertThat(assertValidEmf(lines.get(1))).containsOnly(
                Map.entry(Metric.TOKEN_FAILURES.metricName(), RefusalReason.DEPENDENCY_TIMEOUT.code()),
                Map.entry(Metric.TOKEN_LATENCY.metricName(), "failed"),
                Map.entry(Metric.DEPENDENCY_FAULTS.metricName(), "Other"));
    }

    @Test
    @DisplayName("each metric is published per dimension value and as a total, which the alarms watch")
    void eachMetricHasItsDimensionAndTheTotal() throws Exception {
        String document = new EmbeddedMetrics(NAMESPACE).document(NOW,
                List.of(new EmbeddedMetrics.Datum(Metric.TOKENS_ISSUED, "client_credentials", 1)));

        JsonNode sets = JSON.readTree(document).get("_aws").get("CloudWatchMetrics").get(0).get("Dimensions");
        assertThat(sets.toString()).isEqualTo("[[\"GrantType\"],[]]");
    }

    @Test
    @DisplayName("a document cannot hold two values of one dimension: the metrics would be misattributed")
    void oneValuePerDimension() {
        EmbeddedMetrics metrics = new EmbeddedMetrics(NAMESPACE);
        assertThatThrownBy(() -> metrics.document(NOW, List.of(
                new EmbeddedMetrics.Datum(Metric.TOKEN_REFUSALS, "bad_secret", 1),
                new EmbeddedMetrics.Datum(Metric.TOKEN_FAILURES, "internal_error", 1))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
