package dev.tokenissuer.observability;

import dev.tokenissuer.http.JsonValues;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes metrics as a CloudWatch Embedded Metric Format document: a JSON log line from which CloudWatch Logs
 * extracts the metrics, so metrics cost no API call on the request path. Written here rather than with AWS's EMF
 * library, which detects its environment (probing EC2 metadata outside Lambda) and brings its own dependencies; the
 * format is one small object (docs/operations.md, "Metrics").
 *
 * <p>Each metric gets its own directive with two dimension sets, its dimension and none: per value, and the total.
 */
final class EmbeddedMetrics {

    /** EMF's bound on a dimension value. Ours are codes and names, far shorter; this is a guard, not a rule. */
    static final int MAX_DIMENSION_VALUE_CHARS = 1024;

    /** One value of a metric, under one value of its dimension. */
    record Datum(Metric metric, String dimensionValue, double value) {
    }

    private final String namespace;

    EmbeddedMetrics(String namespace) {
        this.namespace = namespace;
    }

    String namespace() {
        return namespace;
    }

    /**
     * The document for {@code data}, all taken at {@code at}.
     *
     * @throws IllegalArgumentException when two data share a metric, or a dimension with different values: the
     *                                  document has one member per name
     */
    String document(Instant at, List<Datum> data) {
        Map<String, Object> root = new LinkedHashMap<>();
        List<Object> directives = new ArrayList<>();
        Map<String, Object> aws = new LinkedHashMap<>();
        aws.put("Timestamp", at.toEpochMilli());
        aws.put("CloudWatchMetrics", directives);
        root.put("_aws", aws);
        for (Datum datum : data) {
            Metric metric = datum.metric();
            String value = datum.dimensionValue().isEmpty() ? "none" : datum.dimensionValue();
            value = value.length() > MAX_DIMENSION_VALUE_CHARS ? value.substring(0, MAX_DIMENSION_VALUE_CHARS) : value;
            Object previous = root.putIfAbsent(metric.dimension(), value);
            if (previous != null && !previous.equals(value)) {
                throw new IllegalArgumentException("two values of dimension " + metric.dimension());
            }
            if (root.put(metric.metricName(), datum.value()) != null) {
                throw new IllegalArgumentException("metric " + metric.metricName() + " twice");
            }
            Map<String, Object> definition = new LinkedHashMap<>();
            definition.put("Name", metric.metricName());
            definition.put("Unit", metric.unit().emfName());
            Map<String, Object> directive = new LinkedHashMap<>();
            directive.put("Namespace", namespace);
            directive.put("Dimensions", List.of(List.of(metric.dimension()), List.of()));
            directive.put("Metrics", List.of(definition));
            directives.add(directive);
        }
        return JsonValues.write(root);
    }
}
