package dev.tokenissuer.observability;

import dev.tokenissuer.api.ApiException;
import dev.tokenissuer.api.Failure;
import dev.tokenissuer.api.RequestLog;
import dev.tokenissuer.api.TokenAudit;
import dev.tokenissuer.config.IssuerConfig;
import dev.tokenissuer.grant.OAuthException;
import dev.tokenissuer.grant.RefusalReason;
import dev.tokenissuer.http.HttpRequest;
import dev.tokenissuer.http.JsonValues;
import dev.tokenissuer.http.RequestContext;
import dev.tokenissuer.token.TokenSubject;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes, per request, one JSON line to a stream (stdout in Lambda, which CloudWatch Logs keeps as it is): for the
 * token endpoint the audit line, for the others a request line; then, when there is something to count, one line of
 * metrics in Embedded Metric Format. Failures are logged by exception class and AWS error code, which identify the
 * fault without copying any message that might quote input. What the audit line holds is listed in
 * docs/operations.md ("The audit trail").
 */
public final class JsonLinesRequestLog implements RequestLog {

    /** Room for every registered HTTP method; a longer one is a client's invention, kept only as a prefix. */
    static final int MAX_METHOD_CHARS = 20;
    static final int MAX_PATH_CHARS = 200;
    static final int MAX_USER_AGENT_CHARS = 256;
    /** An IPv6 address is at most 45 characters; API Gateway sends nothing else, so this only guards. */
    static final int MAX_SOURCE_IP_CHARS = 64;
    /** API Gateway's and Lambda's request ids are UUIDs or shorter; another front's are cut here. */
    static final int MAX_REQUEST_ID_CHARS = 64;

    public static final String OUTCOME_ISSUED = "issued";
    public static final String OUTCOME_REFUSED = "refused";
    public static final String OUTCOME_FAILED = "failed";

    private final PrintStream out;
    private final EmbeddedMetrics metrics;
    private final Clock clock;

    public JsonLinesRequestLog(PrintStream out) {
        this(out, IssuerConfig.DEFAULT_METRICS_NAMESPACE, Clock.systemUTC());
    }

    public JsonLinesRequestLog(PrintStream out, String metricsNamespace, Clock clock) {
        this.out = out;
        this.metrics = new EmbeddedMetrics(metricsNamespace);
        this.clock = clock;
    }

    @Override
    public void record(Exchange exchange) {
        Instant now = clock.instant();
        List<EmbeddedMetrics.Datum> data = new ArrayList<>();
        Map<String, Object> line = exchange.token().isPresent()
                ? auditLine(exchange, exchange.token().get(), now, data)
                : requestLine(exchange, now);
        exchange.failure().flatMap(Failure::dependency).ifPresent(dependency ->
                data.add(new EmbeddedMetrics.Datum(Metric.DEPENDENCY_FAULTS, dependency.dimensionValue(), 1)));
        // One write per request: the lines of concurrent requests (the local server) never interleave.
        String text = JsonValues.write(line);
        out.println(data.isEmpty() ? text : text + System.lineSeparator() + metrics.document(now, data));
    }

    private static Map<String, Object> requestLine(Exchange exchange, Instant now) {
        Map<String, Object> line = start(exchange, now, "http_request");
        // Every field taken from the request is bounded, so a client cannot make a line (and the bill) large.
        line.put("method", bounded(exchange.request().method(), MAX_METHOD_CHARS));
        line.put("path", bounded(exchange.request().path(), MAX_PATH_CHARS));
        finish(line, exchange);
        return line;
    }

    private static Map<String, Object> auditLine(Exchange exchange, TokenAudit audit, Instant now,
                                                 List<EmbeddedMetrics.Datum> data) {
        Map<String, Object> line = start(exchange, now, "token_request");
        if (!exchange.request().method().equals("POST")) {
            line.put("method", bounded(exchange.request().method(), MAX_METHOD_CHARS));
        }
        audit.grantType().ifPresent(grantType -> line.put("grant_type", grantType));
        audit.clientAuthentication().ifPresent(method -> line.put("client_auth", method));
        audit.clientId().ifPresent(id -> line.put("client_id", id));
        audit.clientKid().ifPresent(kid -> line.put("client_kid", kid));
        audit.kid().ifPresent(kid -> line.put("kid", kid));
        audit.jkt().ifPresent(jkt -> line.put("jkt", jkt));
        audit.federatedIdentity().ifPresent(identity -> line.put("federated_identity", identity));
        audit.subject().map(TokenSubject::serviceUserId).ifPresent(id -> line.put("service_user_id", id));
        audit.subject().map(TokenSubject::orgId).ifPresent(id -> line.put("org_id", id));
        // What the token grants, as it carries it: the scope string, and the audience when resources were asked for.
        audit.subject().map(TokenSubject::access).filter(access -> !access.scopes().isEmpty())
                .ifPresent(access -> line.put("scope", access.scope()));
        audit.subject().map(TokenSubject::access).filter(access -> !access.audiences().isEmpty())
                .ifPresent(access -> line.put("aud", access.audiences()));
        // The names of the service user's static claims the token carries; never their values.
        audit.subject().map(subject -> subject.access().policy().claims().keySet()).filter(names -> !names.isEmpty())
                .ifPresent(names -> line.put("claims", List.copyOf(names)));
        // When the credential that got the token expires: a Logs Insights query finds those in use that expire soon.
        audit.subject().flatMap(TokenSubject::credentialValidUntil)
                .ifPresent(until -> line.put("credential_valid_until", until.getEpochSecond()));

        String outcome;
        if (exchange.response().status() == 200) {
            outcome = OUTCOME_ISSUED;
            data.add(new EmbeddedMetrics.Datum(Metric.TOKENS_ISSUED, audit.grantType().orElse("unknown"), 1));
        } else {
            RefusalReason reason = exchange.failure().map(Failure::reason).orElse(RefusalReason.MALFORMED_REQUEST);
            outcome = exchange.response().status() >= 500 ? OUTCOME_FAILED : OUTCOME_REFUSED;
            line.put("reason", reason.code());
            data.add(new EmbeddedMetrics.Datum(outcome.equals(OUTCOME_FAILED)
                    ? Metric.TOKEN_FAILURES : Metric.TOKEN_REFUSALS, reason.code(), 1));
        }
        line.put("outcome", outcome);
        data.add(new EmbeddedMetrics.Datum(Metric.TOKEN_LATENCY, outcome, exchange.millis()));
        audit.jti().ifPresent(jti -> line.put("jti", jti));
        audit.expiresAt().ifPresent(exp -> line.put("exp", exp.getEpochSecond()));
        RequestContext context = exchange.request().context();
        putBounded(line, "source_ip", context.sourceIp(), MAX_SOURCE_IP_CHARS);
        putBounded(line, "user_agent", context.userAgent(), MAX_USER_AGENT_CHARS);
        finish(line, exchange);
        return line;
    }

    private static Map<String, Object> start(Exchange exchange, Instant now, String event) {
        Map<String, Object> line = new LinkedHashMap<>();
        // Lambda's JSON log format reads these two: the time (RFC 3339) and the level it filters on.
        line.put("timestamp", now.toString());
        line.put("level", exchange.response().status() >= 500 ? "ERROR" : "INFO");
        line.put("event", event);
        HttpRequest request = exchange.request();
        putBounded(line, "api_request_id", request.context().apiRequestId(), MAX_REQUEST_ID_CHARS);
        putBounded(line, "lambda_request_id", request.context().lambdaRequestId(), MAX_REQUEST_ID_CHARS);
        return line;
    }

    private static void finish(Map<String, Object> line, Exchange exchange) {
        line.put("status", exchange.response().status());
        line.put("latency_ms", exchange.millis());
        Throwable cause = exchange.cause();
        if (cause != null && !(cause instanceof ApiException) && !(cause instanceof OAuthException)) {
            line.put("fault", fault(cause));
        }
    }

    private static void putBounded(Map<String, Object> line, String name, String value, int max) {
        if (value != null && !value.isEmpty()) {
            line.put(name, bounded(value, max));
        }
    }

    private static String bounded(String value, int max) {
        return value.length() > max ? value.substring(0, max) : value;
    }

    /** The exception classes of a failure and its causes, with AWS error codes: no message, which may quote input. */
    static String fault(Throwable failure) {
        StringBuilder causes = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            causes.append(causes.length() == 0 ? "" : " <- ").append(cause.getClass().getName());
            if (cause instanceof software.amazon.awssdk.awscore.exception.AwsServiceException service
                    && service.awsErrorDetails() != null) {
                causes.append('(').append(service.awsErrorDetails().errorCode()).append(')');
            }
        }
        return causes.toString();
    }
}
