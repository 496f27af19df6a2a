package dev.tokenissuer.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tokenissuer.grant.RefusalReason;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The template's alarms and dashboard watch metrics the function emits ({@link Metric}) or the template itself makes
 * (its metric filters), under the dimensions and values the code gives them: a renamed metric cannot leave an alarm
 * watching nothing. And the reason codes an operator meets are the documented ones.
 */
class TemplateMetricsTest {

    private static final Path TEMPLATE = Path.of("..", "template.yaml");
    private static final Pattern SEARCH = Pattern.compile("SEARCH\\('\\{(.*?)((?:,\\w+)*)\\} MetricName=\"([^\"]+)\"");

    /** One metric an alarm or a widget names. */
    private record Watched(String where, String namespace, String name, Map<String, String> dimensions) {
    }

    // Jackson's YAML reader skips CloudFormation's short-form tags (!Ref, !Sub, !If) and keeps their values.
    private static JsonNode template() throws Exception {
        return new ObjectMapper(new YAMLFactory()).readTree(TEMPLATE.toFile());
    }

    private static String namespace(JsonNode template) {
        return template.at("/Resources/TokenFunction/Properties/Environment/Variables/METRICS_NAMESPACE").asText();
    }

    private static List<Watched> watched(JsonNode template) throws Exception {
        List<Watched> watched = new ArrayList<>();
        template.get("Resources").fields().forEachRemaining(entry -> {
            JsonNode resource = entry.getValue();
            if (resource.path("Type").asText().equals("AWS::CloudWatch::Alarm")) {
                JsonNode properties = resource.get("Properties");
                if (properties.has("MetricName")) {
                    watched.add(metric(entry.getKey(), properties));
                }
                for (JsonNode query : properties.path("Metrics")) {
                    if (query.has("MetricStat")) {
                        watched.add(metric(entry.getKey(), query.at("/MetricStat/Metric")));
                    }
                }
            }
        });
        String namespace = namespace(template);
        String body = template.at("/Resources/Dashboard/Properties/DashboardBody").asText()
                .replace(namespace, "@namespace@").replaceAll("\\$\\{[^}]+}", "x").replace("@namespace@", namespace);
        for (JsonNode widget : new ObjectMapper().readTree(body).get("widgets")) {
            for (JsonNode row : widget.at("/properties/metrics")) {
                if (row.get(0).isTextual()) {
                    Map<String, String> dimensions = new java.util.HashMap<>();
                    for (int i = 2; i + 1 < row.size() && row.get(i).isTextual(); i += 2) {
                        dimensions.put(row.get(i).asText(), row.get(i + 1).asText());
                    }
                    watched.add(new Watched("dashboard", row.get(0).asText(), row.get(1).asText(), dimensions));
                } else {
                    Matcher search = SEARCH.matcher(row.get(0).path("expression").asText());
                    assertThat(search.find()).as("a dashboard expression is a SEARCH: " + row).isTrue();
                    Map<String, String> dimensions = new java.util.HashMap<>();
                    Arrays.stream(search.group(2).split(",")).filter(name -> !name.isEmpty())
                            .forEach(name -> dimensions.put(name, "*"));
                    watched.add(new Watched("dashboard", search.group(1), search.group(3), dimensions));
                }
            }
        }
        return watched;
    }

    private static Watched metric(String where, JsonNode metric) {
        Map<String, String> dimensions = new java.util.HashMap<>();
        for (JsonNode dimension : metric.path("Dimensions")) {
            dimensions.put(dimension.get("Name").asText(), dimension.get("Value").asText());
        }
        return new Watched(where, metric.get("Namespace").asText(), metric.get("MetricName").asText(), dimensions);
    }

    @Test
    @DisplayName("every metric the alarms and the dashboard watch in our namespace is one the function or a filter emits")
    void watchedMetricsAreEmitted() throws Exception {
        JsonNode template = template();
        String namespace = namespace(template);
        Set<String> filtered = new HashSet<>();
        template.get("Resources").forEach(resource -> {
            if (resource.path("Type").asText().equals("AWS::Logs::MetricFilter")) {
                for (JsonNode transformation : resource.at("/Properties/MetricTransformations")) {
                    assertThat(transformation.get("MetricNamespace").asText()).isEqualTo(namespace);
                    filtered.add(transformation.get("MetricName").asText());
                }
            }
        });
        Map<String, Metric> emitted = Arrays.stream(Metric.values())
                .collect(Collectors.toMap(Metric::metricName, metric -> metric));
        Set<String> reasons = Arrays.stream(RefusalReason.values()).map(RefusalReason::code).collect(Collectors.toSet());

        List<Watched> watched = watched(template);
        assertThat(namespace).startsWith("TokenIssuer/");
        assertThat(watched).extracting(Watched::name).contains("TokensIssued", "TokenRefusals", "TokenLatency",
                "DependencyFaults", "ApiThrottled", "Throttles", "ConcurrentExecutions", "5xx");
        for (Watched metric : watched) {
            if (!metric.namespace().equals(namespace)) {
                assertThat(metric.namespace()).as(metric.toString()).startsWith("AWS/");
                continue;
            }
            if (filtered.contains(metric.name())) {
                assertThat(metric.dimensions()).as(metric.toString()).isEmpty();
                continue;
            }
            assertThat(emitted).as(metric.where() + " watches " + metric.name()).containsKey(metric.name());
            Metric code = emitted.get(metric.name());
            assertThat(Set.of(code.dimension())).as(metric.toString()).containsAll(metric.dimensions().keySet());
            String value = metric.dimensions().get("Reason");
            if (value != null && !value.equals("*")) {
                assertThat(reasons).as(metric.toString()).contains(value);
            }
            String outcome = metric.dimensions().get("Outcome");
            if (outcome != null) {
                assertThat(outcome).isIn(JsonLinesRequestLog.OUTCOME_ISSUED, JsonLinesRequestLog.OUTCOME_REFUSED,
                        JsonLinesRequestLog.OUTCOME_FAILED);
            }
        }
    }

    @Test
    @DisplayName("every reason code is documented for operators, and every documented one exists")
    void reasonCodesAreDocumented() throws Exception {
        String operations = Files.readString(Path.of("..", "docs", "operations.md"));
        String table = operations.substring(operations.indexOf("<!-- reason codes -->"),
                operations.indexOf("<!-- /reason codes -->"));
        Set<String> documented = Pattern.compile("^\\| `([a-z_]+)` \\|", Pattern.MULTILINE).matcher(table).results()
                .map(match -> match.group(1)).collect(Collectors.toSet());
        assertThat(documented).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(RefusalReason.values()).map(RefusalReason::code).toList());
    }
}
