package dev.tokenissuer.observability;

/**
 * Every metric the function emits (in the namespace {@code METRICS_NAMESPACE} names, one per stack), in CloudWatch Embedded Metric Format ({@link EmbeddedMetrics}): its name, unit and
 * its one dimension. The one list of them: the template's alarms and dashboard may name only these (a test reads
 * the template). Dimensions are low-cardinality by construction: a registered grant type, a reason code, a service,
 * an outcome; never a client id, kid, subject or jti (per-client figures come from the audit lines).
 */
public enum Metric {
    /** A token was issued; by {@code GrantType}. */
    TOKENS_ISSUED("TokensIssued", Unit.COUNT, "GrantType"),
    /** A token request was refused (4xx); by {@code Reason}, a {@link dev.tokenissuer.grant.RefusalReason} code. */
    TOKEN_REFUSALS("TokenRefusals", Unit.COUNT, "Reason"),
    /** A token request failed on our side (5xx); by {@code Reason}. */
    TOKEN_FAILURES("TokenFailures", Unit.COUNT, "Reason"),
    /** A call to KMS or DynamoDB failed, on any endpoint; by {@code Dependency}. */
    DEPENDENCY_FAULTS("DependencyFaults", Unit.COUNT, "Dependency"),
    /** A token request's time in the function; by {@code Outcome}: issued, refused, failed. */
    TOKEN_LATENCY("TokenLatency", Unit.MILLISECONDS, "Outcome");

    /** CloudWatch units used here, as EMF spells them. */
    public enum Unit {
        COUNT("Count"), MILLISECONDS("Milliseconds");

        private final String emfName;

        Unit(String emfName) {
            this.emfName = emfName;
        }

        public String emfName() {
            return emfName;
        }
    }

    private final String metricName;
    private final Unit unit;
    private final String dimension;

    Metric(String metricName, Unit unit, String dimension) {
        this.metricName = metricName;
        this.unit = unit;
        this.dimension = dimension;
    }

    public String metricName() {
        return metricName;
    }

    public Unit unit() {
        return unit;
    }

    /** Its dimension's name. Each metric is also published without it, the total that alarms watch. */
    public String dimension() {
        return dimension;
    }
}
