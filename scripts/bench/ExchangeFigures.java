import dev.tokenissuer.api.TokenIssuerApi;
import dev.tokenissuer.config.IssuerConfig;
import dev.tokenissuer.grant.exchange.CallerArn;
import dev.tokenissuer.grant.exchange.TokenExchangeGrant;
import dev.tokenissuer.http.Endpoints;
import dev.tokenissuer.http.HttpRequest;
import dev.tokenissuer.lambda.TokenIssuerApplication;
import dev.tokenissuer.store.AllowedAccess;
import dev.tokenissuer.store.AwsTrustItem;
import dev.tokenissuer.store.ClientSecretItem;
import dev.tokenissuer.store.DynamoCredentialStore;
import dev.tokenissuer.store.DynamoFederationRules;
import dev.tokenissuer.store.DynamoReplayGuard;
import dev.tokenissuer.store.OidcIssuerItem;
import dev.tokenissuer.store.OidcTrustItem;
import dev.tokenissuer.store.SecretHasher;
import dev.tokenissuer.store.ServiceUserState;
import dev.tokenissuer.testing.AwsEmulator;
import dev.tokenissuer.testing.AwsIdentities;
import dev.tokenissuer.testing.CallCounter;
import dev.tokenissuer.testing.LocalOidcIssuer;
import dev.tokenissuer.testing.LocalSigningKeys;
import dev.tokenissuer.testing.Requests;
import dev.tokenissuer.testing.TestCredentials;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Token exchange's figures (docs/federation.md, docs/performance.md), in-process against the emulator: the API as
 * TokenIssuerApplication wires it over the emulator's DynamoDB (rules, replay records, client secrets) and STS, a
 * local signing key instead of KMS (one Sign per token in every grant alike), and a loopback OIDC issuer.
 * For client_credentials (Basic), the AWS exchange (a role session's signed GetCallerIdentity) and the OIDC exchange
 * (a GitHub Actions-shaped token, JWKS cached): AWS calls per request by operation, this thread's CPU per request
 * (the function's work: parsing, the secret's hash or the signature checks, the STS call's HTTP client, JSON, the
 * token's claims; not the emulator's) and warm latency (median, p90, p99). Every subject token is made before the
 * clock starts.
 *   java ExchangeFigures [requests per kind, default 200]
 */
public class ExchangeFigures {

    private static final String ENDPOINT = "http://127.0.0.1:9/v1beta1/auth/token";

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        URI emulator = AwsEmulator.endpoint();
        CallCounter calls = new CallCounter();
        DynamoDbClient dynamo = AwsEmulator.dynamo(calls);
        String table = AwsEmulator.newTable(dynamo);
        String user = TestCredentials.SERVICE_USER_ID;
        AllowedAccess allowed = new AllowedAccess(List.of("deploy"), List.of());
        dynamo.putItem(r -> r.tableName(table).item(new ClientSecretItem(TestCredentials.CLIENT_ID, user,
                TestCredentials.ORG_ID, ServiceUserState.ENABLED, SecretHasher.hash(TestCredentials.CLIENT_SECRET),
                "bench", "2026-12-07T00:00:00Z", allowed).toItem()));
        AwsIdentities.Credentials session = AwsIdentities.assumeRole(
                AwsIdentities.createRole("bench-" + UUID.randomUUID().toString().substring(0, 8), "/"), "bench");
        dynamo.putItem(r -> r.tableName(table).item(new AwsTrustItem(CallerArn.of(session.arn()).orElseThrow()
                .principal(), UUID.randomUUID().toString(), user, TestCredentials.ORG_ID, ServiceUserState.ENABLED,
                "bench", "2026-12-07T00:00:00Z", allowed).toItem()));
        LocalOidcIssuer issuer = new LocalOidcIssuer("");
        dynamo.putItem(r -> r.tableName(table).item(new OidcIssuerItem(issuer.issuer(), "https://bench.example",
                "2026-12-07T00:00:00Z").toItem()));
        dynamo.putItem(r -> r.tableName(table).item(new OidcTrustItem(issuer.issuer(), "repo:acme/api:*",
                Map.of("repository_owner", "acme"), UUID.randomUUID().toString(), user, TestCredentials.ORG_ID,
                ServiceUserState.ENABLED, "bench", "2026-12-07T00:00:00Z", allowed).toItem()));

        IssuerConfig config = IssuerConfig.from(Map.of("TOKEN_ISSUER", "token-issuer-bench",
                "AWS_ENDPOINT_URL", emulator.toString()));
        TokenIssuerApi api = TokenIssuerApplication.wire(config, new TokenIssuerApplication.Backends(
                new DynamoCredentialStore(dynamo, table), new DynamoReplayGuard(dynamo, table, Clock.systemUTC()),
                LocalSigningKeys.rsa(), Clock.systemUTC(), new DynamoFederationRules(dynamo, table)),
                exchange -> exchange.failure().ifPresent(failure -> System.err.println("refused: "
                        + failure.reason().code()))).api();

        Map<String, Supplier<HttpRequest>> kinds = new LinkedHashMap<>();
        kinds.put("client_credentials (Basic)", () -> Requests.post(Endpoints.TOKEN_PATH)
                .header("Authorization", TestCredentials.basic(TestCredentials.CLIENT_ID, TestCredentials.CLIENT_SECRET))
                .form("grant_type=client_credentials").build());
        AtomicInteger unique = new AtomicInteger();
        kinds.put("token exchange, AWS role session", () -> exchange(TokenExchangeGrant.AWS4_REQUEST,
                AwsIdentities.subjectToken(session, emulator, Map.of("x-token-issuer-audience", "token-issuer-bench",
                        "x-request-id", Integer.toString(unique.incrementAndGet())), Clock.systemUTC())));
        kinds.put("token exchange, OIDC (GitHub Actions)", () -> exchange(TokenExchangeGrant.JWT,
                issuer.githubActions("acme/api", "refs/heads/main", "https://bench.example",
                        Instant.now().plusSeconds(600))));

        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        System.out.printf("%d warm requests each, in-process against the emulator at %s (JAVA_TOOL_OPTIONS=%s)%n", n,
                emulator, System.getenv().getOrDefault("JAVA_TOOL_OPTIONS", ""));
        System.out.printf("%-40s %9s %9s %9s %9s  %s%n", "kind", "CPU µs", "p50 ms", "p90 ms", "p99 ms",
                "AWS calls per request");
        for (Map.Entry<String, Supplier<HttpRequest>> kind : kinds.entrySet()) {
            List<HttpRequest> requests = new ArrayList<>();
            for (int i = 0; i < n + 50; i++) {
                requests.add(kind.getValue().get());
            }
            long[] cpu = new long[n];
            long[] wall = new long[n];
            for (int i = 0; i < requests.size(); i++) {
                if (i == 50) {
                    calls.reset();
                }
                long c0 = threads.getCurrentThreadCpuTime();
                long w0 = System.nanoTime();
                var response = api.handle(requests.get(i));
                long w1 = System.nanoTime();
                long c1 = threads.getCurrentThreadCpuTime();
                if (response.status() != 200) {
                    throw new IllegalStateException(kind.getKey() + ": " + response.status() + " " + response.body());
                }
                if (i >= 50) {
                    cpu[i - 50] = c1 - c0;
                    wall[i - 50] = w1 - w0;
                }
            }
            Map<String, String> perRequest = new LinkedHashMap<>();
            calls.snapshot().forEach((operation, count) -> perRequest.put(operation, String.format("%.2f",
                    count / (double) n)));
            if (kind.getKey().contains("AWS")) {
                perRequest.put("STS GetCallerIdentity", "1 (HTTP, not an SDK call)");
            }
            Arrays.sort(cpu);
            Arrays.sort(wall);
            System.out.printf("%-40s %9.0f %9.2f %9.2f %9.2f  %s%n", kind.getKey(), cpu[n / 2] / 1e3,
                    wall[n / 2] / 1e6, wall[n * 9 / 10] / 1e6, wall[n * 99 / 100] / 1e6, perRequest);
        }
        issuer.stop();
        dynamo.deleteTable(r -> r.tableName(table));
    }

    private static HttpRequest exchange(String type, String token) {
        return Requests.post(Endpoints.TOKEN_PATH).form("grant_type=" + enc(TokenExchangeGrant.GRANT_TYPE)
                + "&subject_token_type=" + enc(type) + "&subject_token=" + enc(token)).build();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
