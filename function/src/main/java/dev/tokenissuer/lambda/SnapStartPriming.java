package dev.tokenissuer.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenissuer.api.RequestLog;
import dev.tokenissuer.api.TokenIssuerApi;
import dev.tokenissuer.config.IssuerConfig;
import dev.tokenissuer.grant.JwtBearerGrant;
import dev.tokenissuer.token.SigningKeysLog;
import org.crac.Context;
import org.crac.Resource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * SnapStart priming. Lambda runs {@link #beforeCheckpoint} once, when it initializes a published version to take
 * its snapshot; every container of that version then starts from the snapshot with what priming loaded and compiled.
 *
 * <p>Priming sends four API Gateway events through the handler, over a <em>twin</em> of the function's API: the
 * same wiring and configuration, but its own SDK and HTTP clients (closed when priming ends) and no logs.
 * <ul>
 *   <li>{@code GET /.well-known/jwks.json} (HTTP API payload 2.0): KMS {@code GetPublicKey} and the verification
 *   set's DynamoDB {@code GetItem} through the SDK (signing, endpoint rules, JSON protocol, the HTTP client), the
 *   public key to JWK, the response JSON;</li>
 *   <li>{@code POST /v1beta1/auth/token} (REST API payload 1.0, Basic credentials, form body) for the nil client id
 *   {@value #PRIMING_CLIENT_ID}, which no credential ever has (ours are random UUIDs): one DynamoDB
 *   {@code GetItem} that finds nothing, the secret check, the 401 error mapping;</li>
 *   <li>{@code POST /v1beta1/auth/token} (function URL, JSON body) without credentials: the JSON parser and a 400;</li>
 *   <li>{@code POST /v1beta1/auth/token} (HTTP API, base64 form body) with a jwt-bearer assertion that passes every
 *   check made before the key read, for the nil kid: JWT parsing, the assertion rules, one DynamoDB {@code GetItem}
 *   that finds no key, a 401. Its signature is never checked, and no replay record is written.</li>
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

    /** The nil UUID: well-formed, so the grant does its one read, and never a client id (ours are random). */
    static final String PRIMING_CLIENT_ID = "00000000-0000-0000-0000-000000000000";

    /** What each priming event is answered when the dependencies are reachable and configured. */
    static final List<Integer> EXPECTED_STATUSES = List.of(200, 401, 400, 401);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** An API to prime, and what to close after priming it. */
    public record Target(TokenIssuerApi api, AutoCloseable resources) {
    }

    private final Supplier<Target> targets;
    private final PrintStream log;

    /**
     * @param targets builds the API to prime, when priming runs (not before: registering the hook costs nothing)
     * @param log     where the one-line priming report goes
     */
    public SnapStartPriming(Supplier<Target> targets, PrintStream log) {
        this.targets = targets;
        this.log = log;
    }

    /** Primes a twin of the API that {@code config} describes, over SDK clients of its own, logging no requests. */
    public static SnapStartPriming of(IssuerConfig config) {
        return new SnapStartPriming(() -> {
            TokenIssuerApplication.Clients clients = TokenIssuerApplication.Clients.from(config);
            return new Target(TokenIssuerApplication.create(config, clients.kms(), clients.dynamo(),
                    RequestLog.none(), SigningKeysLog.none()), clients);
        }, System.out);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to reset: priming used only its twin, closed before the snapshot (see the class comment).
    }

    /**
     * Sends the priming events and returns the status of each. Never throws: priming only saves time, so a failure
     * (KMS unreachable while the snapshot is taken, say) is logged and the version is published all the same.
     */
    List<Integer> prime() {
        long started = System.nanoTime();
        List<Integer> statuses = new ArrayList<>();
        String fault = null;
        try {
            Target target = targets.get();
            try {
                TokenIssuerHandler handler = new TokenIssuerHandler(target.api());
                for (byte[] event : events()) {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    handler.handleRequest(new ByteArrayInputStream(event), out, null);
                    statuses.add(JSON.readTree(out.toByteArray()).path("statusCode").asInt());
                }
            } finally {
                target.resources().close();
            }
        } catch (Exception | LinkageError e) {
            fault = e.getClass().getName();
        }
        report(statuses, fault, (System.nanoTime() - started) / 1_000_000);
        return statuses;
    }

    private void report(List<Integer> statuses, String fault, long millis) {
        Map<String, Object> line = new LinkedHashMap<>();
        boolean ok = fault == null && statuses.equals(EXPECTED_STATUSES);
        line.put("level", ok ? "INFO" : "WARN");
        line.put("message", ok ? "SnapStart priming done" : "SnapStart priming incomplete: the first requests "
                + "after a restore will be slower; check the function's configuration and permissions");
        line.put("statuses", statuses);
        line.put("expected", EXPECTED_STATUSES);
        if (fault != null) {
            line.put("fault", fault);
        }
        line.put("millis", millis);
        try {
            log.println(JSON.writeValueAsString(line));
        } catch (IOException e) {
            log.println("{\"level\":\"WARN\",\"message\":\"SnapStart priming report failed\"}");
        }
    }

    /** The priming events, from each API Gateway front: HTTP API 2.0, REST API 1.0, function URL. */
    static List<byte[]> events() {
        String basic = "Basic " + Base64.getEncoder().encodeToString(
                (PRIMING_CLIENT_ID + ":priming").getBytes(StandardCharsets.UTF_8));

        ObjectNode jwks = httpApiEvent("GET", TokenIssuerApi.JWKS_PATH, "abc123.execute-api.us-east-1.amazonaws.com");

        ObjectNode restApi = JSON.createObjectNode();
        restApi.put("resource", TokenIssuerApi.TOKEN_PATH);
        restApi.put("path", TokenIssuerApi.TOKEN_PATH);
        restApi.put("httpMethod", "POST");
        restApi.putObject("headers")
                .put("Authorization", basic)
                .put("Content-Type", "application/x-www-form-urlencoded");
        ObjectNode multiValueHeaders = restApi.putObject("multiValueHeaders");
        multiValueHeaders.putArray("Authorization").add(basic);
        multiValueHeaders.putArray("Content-Type").add("application/x-www-form-urlencoded");
        restApi.putObject("requestContext").put("httpMethod", "POST").put("stage", "prod");
        restApi.put("body", "grant_type=client_credentials");
        restApi.put("isBase64Encoded", false);

        ObjectNode functionUrl = httpApiEvent("POST", TokenIssuerApi.TOKEN_PATH,
                "abcdefghijklmnopqrstuvwxyz123456.lambda-url.us-east-1.on.aws");
        ((ObjectNode) functionUrl.get("headers")).put("content-type", "application/json");
        functionUrl.put("body", "{\"grant_type\":\"client_credentials\"}");

        ObjectNode jwtBearer = httpApiEvent("POST", TokenIssuerApi.TOKEN_PATH,
                "abc123.execute-api.us-east-1.amazonaws.com");
        ((ObjectNode) jwtBearer.get("headers")).put("content-type", "application/x-www-form-urlencoded");
        String form = "grant_type=" + URLEncoder.encode(JwtBearerGrant.GRANT_TYPE, StandardCharsets.UTF_8)
                + "&assertion=" + unknownKeyAssertion();
        jwtBearer.put("body", Base64.getEncoder().encodeToString(form.getBytes(StandardCharsets.UTF_8)));
        jwtBearer.put("isBase64Encoded", true);

        List<byte[]> events = new ArrayList<>();
        for (JsonNode event : List.of(jwks, restApi, functionUrl, jwtBearer)) {
            try {
                events.add(JSON.writeValueAsBytes(event));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return events;
    }

    /**
     * A compact JWS shaped as Frontier's clients make assertions, for the nil kid, valid for five minutes from now:
     * it clears every check that needs no I/O, and the key read then fails. The signature is filler.
     */
    private static String unknownKeyAssertion() {
        long now = System.currentTimeMillis() / 1000;
        ObjectNode header = JSON.createObjectNode().put("alg", "RS256").put("typ", "JWT").put("kid", PRIMING_CLIENT_ID);
        ObjectNode claims = JSON.createObjectNode()
                .put("kid", PRIMING_CLIENT_ID)
                .put("iss", "snapstart-priming")
                .put("sub", PRIMING_CLIENT_ID)
                .put("jti", "snapstart-priming")
                .put("iat", now)
                .put("exp", now + 300);
        Base64.Encoder base64url = Base64.getUrlEncoder().withoutPadding();
        try {
            return base64url.encodeToString(JSON.writeValueAsBytes(header)) + "."
                    + base64url.encodeToString(JSON.writeValueAsBytes(claims)) + "."
                    + base64url.encodeToString(new byte[256]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode httpApiEvent(String method, String path, String domainName) {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", "$default");
        event.put("rawPath", path);
        event.put("rawQueryString", "");
        event.putObject("headers").put("host", domainName);
        ObjectNode context = event.putObject("requestContext");
        context.put("domainName", domainName);
        context.putObject("http").put("method", method).put("path", path);
        event.put("isBase64Encoded", false);
        return event;
    }
}
