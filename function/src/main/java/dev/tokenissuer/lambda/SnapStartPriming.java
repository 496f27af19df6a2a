package dev.tokenissuer.lambda;

import dev.tokenissuer.api.RequestLog;
import dev.tokenissuer.config.IssuerConfig;
import dev.tokenissuer.grant.Grant;
import dev.tokenissuer.grant.Grants;
import dev.tokenissuer.grant.PrimingRequest;
import dev.tokenissuer.grant.TokenRequest;
import dev.tokenissuer.http.Endpoints;
import dev.tokenissuer.http.JsonValues;
import dev.tokenissuer.observability.JsonLinesRequestLog;
import dev.tokenissuer.signing.SigningKeysLog;
import org.crac.Context;
import org.crac.Resource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Supplier;

/**
 * SnapStart priming. Lambda runs {@link #beforeCheckpoint} once, when it initializes a published version to take
 * its snapshot; every container of that version then starts from the snapshot with what priming loaded and compiled.
 *
 * <p>Priming sends API Gateway events through the handler, over a <em>twin</em> of the function's API: the same
 * wiring and configuration, but its own SDK and HTTP clients (closed when priming ends) and no logs. The events come
 * from the registered grants, so a new grant is primed without a change here:
 * <ul>
 *   <li>{@code GET /.well-known/jwks.json} (HTTP API payload 2.0): KMS {@code GetPublicKey} and the verification
 *   set's DynamoDB {@code GetItem} through the SDK (signing, endpoint rules, JSON protocol, the HTTP client), the
 *   public key to JWK, the response JSON;</li>
 *   <li>each grant's {@link Grant#primingRequest() priming request}, which runs the grant as far as its first read
 *   and is refused there: the first grant's through a REST API (payload 1.0, client credentials in a Basic header,
 *   form body), the others' through an HTTP API (base64 form body). For {@code client_credentials} that is the nil
 *   client id: one {@code GetItem} that finds nothing, the secret check, a 401; for jwt-bearer an assertion for the
 *   nil kid that passes every check made before the key read: one {@code GetItem}, a 401, no replay record;</li>
 *   <li>{@code POST /v1beta1/auth/token} (function URL, JSON body) for a grant that needs client authentication,
 *   without credentials: the JSON parser and a 400.</li>
 * </ul>
 * None of them issues a token: nothing is signed, no {@code jti} is drawn, no clock reading is kept.
 *
 * <p>What the snapshot keeps, and why that is safe: loaded and initialized classes and JIT-compiled code; the SDK
 * clients the function built at init (built, never called: they hold no connection, no credentials and no signing
 * key yet); JVM-wide caches that the twin's calls filled — the DNS cache (Lambda's runtime clears it after the hooks,
 * before the snapshot) and idle keep-alive connections (the JDK reuses one only within its keep-alive timeout, by
 * the wall clock, so none outlives a restore); {@link dev.tokenissuer.store.SecretHasher}'s decoy hash (random, but
 * it only ever fails to match, so sharing it between containers reveals nothing). What it does not keep: the public
 * key (the function's own key set is not loaded yet, so each restored container reads the signing key and the
 * verification set at its first request, as a container without SnapStart does), any token, id, timestamp or
 * per-request random value, and any credential. Hence {@link #afterRestore} has nothing to reset.
 */
public final class SnapStartPriming implements Resource {

    /** The nil UUID: well-formed, so a grant does its one read, and never a client id or kid (ours are random). */
    static final String PRIMING_CLIENT_ID = PrimingRequest.NIL_ID;

    private static final String HTTP_API_DOMAIN = "abc123.execute-api.us-east-1.amazonaws.com";
    private static final String FUNCTION_URL_DOMAIN = "abcdefghijklmnopqrstuvwxyz123456.lambda-url.us-east-1.on.aws";

    /** An API to prime, and what to close after priming it. */
    public record Target(TokenIssuerApplication.Application application, AutoCloseable resources) {
    }

    /** A priming event, and what it is answered when the dependencies are reachable and configured. */
    record Event(byte[] json, int expectedStatus) {
    }

    private final Supplier<Target> targets;
    private final PrintStream log;
    private final Runnable restored;

    /**
     * @param targets builds the API to prime, when priming runs (not before: registering the hook costs nothing)
     * @param log     where the one-line priming report goes
     */
    public SnapStartPriming(Supplier<Target> targets, PrintStream log) {
        this(targets, log, () -> { });
    }

    /** @param afterRestore what a restored container starts at once: the function's own signing keys' first load */
    public SnapStartPriming(Supplier<Target> targets, PrintStream log, Runnable afterRestore) {
        this.targets = targets;
        this.log = log;
        this.restored = afterRestore;
    }

    /**
     * Primes a twin of the API that {@code config} describes, over SDK clients of its own, logging no requests: its
     * audit and metric lines are written, so that code is primed too (a fresh JVM's first metric line costs tens of
     * ms), but to nowhere, so priming's refusals are neither in the audit trail nor counted in the metrics.
     */
    public static SnapStartPriming of(IssuerConfig config) {
        return of(config, () -> { });
    }

    /** As {@link #of(IssuerConfig)}, running {@code afterRestore} when a container is restored from the snapshot. */
    public static SnapStartPriming of(IssuerConfig config, Runnable afterRestore) {
        return new SnapStartPriming(() -> {
            TokenIssuerApplication.Clients clients = TokenIssuerApplication.Clients.from(config);
            return new Target(TokenIssuerApplication.wire(config, TokenIssuerApplication.Backends.aws(config,
                    clients.kms(), clients.dynamo(), clients.dynamo(), SigningKeysLog.none()), discarding(config)),
                    clients);
        }, System.out, afterRestore);
    }

    /** The function's request log, writing to nowhere. */
    static RequestLog discarding(IssuerConfig config) {
        return new JsonLinesRequestLog(new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8),
                config.metricsNamespace(), java.time.Clock.systemUTC());
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to reset: priming used only its twin, closed before the snapshot (see the class comment). The
        // function's own keys were never loaded: start their load now, beside the restored container's first request.
        restored.run();
    }

    /**
     * Sends the priming events and returns the status of each. Never throws: priming only saves time, so a failure
     * (KMS unreachable while the snapshot is taken, say) is logged and the version is published all the same.
     */
    List<Integer> prime() {
        long started = System.nanoTime();
        List<Integer> statuses = new ArrayList<>();
        List<Integer> expected = new ArrayList<>();
        String fault = null;
        try {
            Target target = targets.get();
            try {
                TokenIssuerHandler handler = new TokenIssuerHandler(target.application().api());
                for (Event event : events(target.application().grants())) {
                    expected.add(event.expectedStatus());
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    handler.handleRequest(new ByteArrayInputStream(event.json()), out, null);
                    statuses.add(ApiGatewayEvents.response(out.toByteArray()).status());
                }
            } finally {
                target.resources().close();
            }
        } catch (Exception | LinkageError e) {
            fault = e.getClass().getName();
        }
        report(statuses, expected, fault, (System.nanoTime() - started) / 1_000_000);
        return statuses;
    }

    /** What {@link #prime()} returns when every dependency answers, for these grants. */
    static List<Integer> expectedStatuses(Grants grants) {
        return events(grants).stream().map(Event::expectedStatus).toList();
    }

    private void report(List<Integer> statuses, List<Integer> expected, String fault, long millis) {
        Map<String, Object> line = new LinkedHashMap<>();
        boolean ok = fault == null && statuses.equals(expected);
        line.put("level", ok ? "INFO" : "WARN");
        line.put("message", ok ? "SnapStart priming done" : "SnapStart priming incomplete: the first requests "
                + "after a restore will be slower; check the function's configuration and permissions");
        line.put("statuses", statuses);
        line.put("expected", expected);
        if (fault != null) {
            line.put("fault", fault);
        }
        line.put("millis", millis);
        log.println(JsonValues.write(line));
    }

    /**
     * The priming events, from each API Gateway front (HTTP API 2.0, REST API 1.0, function URL): the JWKS, the
     * first grant's priming request, a request without credentials, then every other grant's.
     */
    static List<Event> events(Grants grants) {
        List<Event> events = new ArrayList<>();
        events.add(new Event(JsonValues.writeBytes(
                httpApiEvent("GET", Endpoints.JWKS_PATH, HTTP_API_DOMAIN, Map.of(), null, false)), 200));
        List<Grant> all = grants.all();
        for (int i = 0; i < all.size(); i++) {
            PrimingRequest request = all.get(i).primingRequest();
            events.add(new Event(JsonValues.writeBytes(i == 0 ? restApiEvent(request) : httpApiFormEvent(request)),
                    request.expectedStatus()));
            if (i == 0) {
                all.stream()
                        .filter(grant -> grant.clientAuthentication() == Grant.ClientAuthenticationRule.REQUIRED)
                        .findFirst()
                        .ifPresent(grant -> events.add(
                                new Event(JsonValues.writeBytes(withoutCredentials(grant)), 400)));
            }
        }
        return events;
    }

    /** A REST API proxy event; a client id and secret travel in a Basic header, the rest as a form body. */
    private static Map<String, Object> restApiEvent(PrimingRequest request) {
        Map<String, String> parameters = new LinkedHashMap<>(request.parameters());
        String clientId = parameters.remove(TokenRequest.CLIENT_ID);
        String secret = parameters.remove(TokenRequest.CLIENT_SECRET);
        // As a REST API passes them: without a Host, a derived issuer (the template's default) refuses the request
        // before the grant runs, and the grant's code would go unprimed.
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", HTTP_API_DOMAIN);
        headers.put("X-Forwarded-Proto", "https");
        if (clientId != null && secret != null) {
            headers.put("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (clientId + ":" + secret).getBytes(StandardCharsets.UTF_8)));
        } else {
            putIfPresent(parameters, TokenRequest.CLIENT_ID, clientId);
            putIfPresent(parameters, TokenRequest.CLIENT_SECRET, secret);
        }
        headers.put("Content-Type", "application/x-www-form-urlencoded");
        return restApiEvent("POST", Endpoints.TOKEN_PATH, headers, form(parameters));
    }

    private static void putIfPresent(Map<String, String> parameters, String name, String value) {
        if (value != null) {
            parameters.put(name, value);
        }
    }

    /** An HTTP API event with a base64-encoded form body. */
    private static Map<String, Object> httpApiFormEvent(PrimingRequest request) {
        return httpApiEvent("POST", Endpoints.TOKEN_PATH, HTTP_API_DOMAIN,
                Map.of("content-type", "application/x-www-form-urlencoded"), Base64.getEncoder().encodeToString(
                        form(request.parameters()).getBytes(StandardCharsets.UTF_8)), true);
    }

    /** A function URL event with a JSON body naming the grant and nothing else: the client is not authenticated. */
    private static Map<String, Object> withoutCredentials(Grant grant) {
        return httpApiEvent("POST", Endpoints.TOKEN_PATH, FUNCTION_URL_DOMAIN, Map.of("content-type",
                "application/json"), JsonValues.write(Map.of(TokenRequest.GRANT_TYPE, grant.grantType())), false);
    }

    /**
     * A payload 2.0 event as API Gateway's HTTP API, or a function URL (by its domain), sends it: header names in
     * lower case, the domain also as {@code host}.
     */
    private static Map<String, Object> httpApiEvent(String method, String path, String domainName,
                                                    Map<String, String> headers, String body, boolean base64) {
        Map<String, Object> http = new LinkedHashMap<>();
        http.put("method", method);
        http.put("path", path);
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("routeKey", "$default");
        context.put("stage", "$default");
        context.put("domainName", domainName);
        context.put("http", http);
        Map<String, String> allHeaders = new LinkedHashMap<>();
        allHeaders.put("host", domainName);
        allHeaders.putAll(headers);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "2.0");
        event.put("routeKey", "$default");
        event.put("rawPath", path);
        event.put("rawQueryString", "");
        event.put("headers", allHeaders);
        event.put("requestContext", context);
        if (body != null) {
            event.put("body", body);
            event.put("isBase64Encoded", base64);
        }
        return event;
    }

    /** A REST API proxy (payload 1.0) event from the {@code prod} stage: each header in both header maps. */
    private static Map<String, Object> restApiEvent(String method, String path, Map<String, String> headers,
                                                    String body) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("httpMethod", method);
        context.put("stage", "prod");
        context.put("resourcePath", path);
        context.put("path", "/prod" + path);
        Map<String, Object> multiValueHeaders = new LinkedHashMap<>();
        headers.forEach((name, value) -> multiValueHeaders.put(name, List.of(value)));
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("resource", path);
        event.put("path", path);
        event.put("httpMethod", method);
        event.put("headers", headers);
        event.put("multiValueHeaders", multiValueHeaders);
        event.put("requestContext", context);
        event.put("body", body);
        event.put("isBase64Encoded", false);
        return event;
    }

    private static String form(Map<String, String> parameters) {
        StringJoiner form = new StringJoiner("&");
        parameters.forEach((name, value) -> form.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return form.toString();
    }
}
