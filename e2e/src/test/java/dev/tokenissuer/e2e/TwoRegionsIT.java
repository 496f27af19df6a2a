package dev.tokenissuer.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.tokenissuer.admin.AdminStore;
import dev.tokenissuer.admin.InProcessTokenCtl;
import dev.tokenissuer.api.RequestLog;
import dev.tokenissuer.aws.AwsClients;
import dev.tokenissuer.config.IssuerConfig;
import dev.tokenissuer.lambda.TokenIssuerApplication;
import dev.tokenissuer.lambda.TokenIssuerApplication.Backends;
import dev.tokenissuer.lambda.TokenIssuerHandler;
import dev.tokenissuer.signing.SigningKeysLog;
import dev.tokenissuer.store.ServiceUserState;
import dev.tokenissuer.testing.AwsEmulator;
import dev.tokenissuer.testing.EmulatedRegions;
import dev.tokenissuer.testing.HttpApiInvoker;
import dev.tokenissuer.testing.HttpApiInvoker.Response;
import dev.tokenissuer.testing.TestCredentials;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;

import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

import static dev.tokenissuer.testing.ClientAssertions.frontierAssertion;
import static dev.tokenissuer.testing.ClientAssertions.privateKeyFromPem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One issuer in two regions, as docs/multi-region.md deploys it, against the emulator: region A (us-east-1, the
 * primary) and region B (eu-west-1), each with its own instance of the function over its own region's table replica
 * and KMS key replica; the emulator replicates the global table with a lag each test sets. tokenctl made the signing
 * key (multi-Region, replicated to B). Each test prints the figures it measured ({@code two-regions: ...}).
 */
class TwoRegionsIT {

    private static final String A = "us-east-1";
    private static final String B = "eu-west-1";
    private static final String TOKEN = "/v1beta1/auth/token";
    private static final String JWKS = "/.well-known/jwks.json";
    private static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private static final Map<String, String> FORM = Map.of("Content-Type", "application/x-www-form-urlencoded");
    /** As deployed (AWS_CALL_TIMEOUT_MILLIS): the bound on each of the function's AWS calls, retries included. */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(3);

    private final List<AutoCloseable> closing = new ArrayList<>();
    private SdkHttpClient http;
    private KmsClient kmsA;
    private KmsClient kmsB;
    private DynamoDbClient dynamoA;
    private DynamoDbClient dynamoB;
    /** The operator's client in A, with the SDK's patient defaults (setting up on a busy machine). */
    private DynamoDbClient setupA;
    private Map<String, String> env;
    private Map<String, String> tokenctlEnv;
    private AdminStore storeA;
    private String serviceUser;
    private AdminStore.NewSecret secret;
    private PrivateKey assertionKey;
    private String assertionKid;
    private HttpApiInvoker regionA;
    private HttpApiInvoker regionB;

    @BeforeEach
    void deploy() {
        http = AwsClients.httpClient(CALL_TIMEOUT);
        kmsA = AwsClients.kms(http, CALL_TIMEOUT, Optional.of(AwsEmulator.endpoint()), A);
        kmsB = AwsClients.kms(http, CALL_TIMEOUT, Optional.of(AwsEmulator.endpoint()), B);
        dynamoA = AwsClients.dynamo(http, CALL_TIMEOUT, Optional.of(AwsEmulator.endpoint()), A);
        dynamoB = AwsClients.dynamo(http, CALL_TIMEOUT, Optional.of(AwsEmulator.endpoint()), B);
        setupA = EmulatedRegions.dynamo(A);
        closing.addAll(List.of(kmsA, kmsB, dynamoA, dynamoB, setupA, http));
        EmulatedRegions.replicationLag(0);
        String table = EmulatedRegions.newGlobalTable(setupA, B);
        String alias = "alias/two-regions-" + UUID.randomUUID();
        env = new HashMap<>(AwsEmulator.environment(table, alias));
        env.put("SIGNING_KEYS_REFRESH_SECONDS", "1");
        env.put("TOKEN_ISSUER", "https://auth.example.test");
        tokenctlEnv = new HashMap<>(env);
        tokenctlEnv.put("PRIMARY_REGION", A);
        tokenctlEnv.put("REPLICA_REGIONS", B);
        InProcessTokenCtl.Run created = InProcessTokenCtl.run(tokenctlEnv, "signing-key", "create",
                "--spec", "ECC_NIST_P256");
        assertThat(created.status()).as(created.err()).isZero();

        storeA = new AdminStore(setupA, table, Clock.systemUTC());
        serviceUser = storeA.createServiceUser("org-regions", "two regions").id();
        secret = storeA.createSecret(serviceUser, "");
        InProcessTokenCtl.Run key = InProcessTokenCtl.run(tokenctlEnv, "key", "create", serviceUser);
        assertThat(key.status()).as(key.err()).isZero();
        assertionKey = privateKeyFromPem(key.json().get("private_key").asText());
        assertionKid = key.json().get("kid").asText();

        regionA = function(A, kmsA, dynamoA, dynamoA);
        regionB = function(B, kmsB, dynamoB, dynamoA);
    }

    @AfterEach
    void close() throws Exception {
        EmulatedRegions.unavailable();
        EmulatedRegions.replicationLag(0);
        for (AutoCloseable resource : closing) {
            resource.close();
        }
    }

    /** The function as deployed in {@code region}: its region's clients, replay records through {@code replay}. */
    private HttpApiInvoker function(String region, KmsClient kms, DynamoDbClient dynamo, DynamoDbClient replay) {
        IssuerConfig config = IssuerConfig.from(env);
        return new HttpApiInvoker(new TokenIssuerHandler(TokenIssuerApplication.wire(config,
                Backends.aws(config, kms, dynamo, replay, SigningKeysLog.none()), RequestLog.none(), List.of(),
                region).api()));
    }

    private Response clientCredentials(HttpApiInvoker region) {
        return region.post(TOKEN, Map.of("Content-Type", "application/x-www-form-urlencoded",
                "Authorization", TestCredentials.basic(secret.clientId(), secret.clientSecret())),
                "grant_type=client_credentials");
    }

    private String token(HttpApiInvoker region) {
        Response response = clientCredentials(region);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().get("access_token").asText();
    }

    private String assertion() {
        return frontierAssertion(assertionKey, assertionKid, serviceUser, Duration.ofMinutes(5));
    }

    private static Response exchange(HttpApiInvoker region, String assertion) {
        return region.post(TOKEN, FORM, "grant_type=" + JWT_BEARER + "&assertion=" + assertion);
    }

    private static JWTClaimsSet verify(String token, HttpApiInvoker jwksOf) throws Exception {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.ES256),
                new ImmutableJWKSet<>(JWKSet.parse(jwksOf.get(JWKS).body()))));
        return processor.process(token, null);
    }

    private static String kid(String token) throws Exception {
        return SignedJWT.parse(token).getHeader().getKeyID();
    }

    /** Milliseconds until {@code condition} holds, polling every 10 ms for at most {@code limit}. */
    private static long millisUntil(Predicate<Void> condition, Duration limit) throws InterruptedException {
        long start = System.nanoTime();
        while (!condition.test(null)) {
            if (System.nanoTime() - start > limit.toNanos()) {
                throw new AssertionError("not within " + limit);
            }
            Thread.sleep(10);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static void report(String figure) {
        System.out.println("two-regions: " + figure);
    }

    @Test
    @DisplayName("a token issued in region A verifies with region B's JWKS and the reverse: one key id, one kid")
    void oneKidEverywhere() throws Exception {
        String fromA = token(regionA);
        String fromB = token(regionB);
        assertThat(kid(fromA)).isEqualTo(kid(fromB));
        assertThat(verify(fromA, regionB).getSubject()).isEqualTo(serviceUser);
        assertThat(verify(fromB, regionA).getSubject()).isEqualTo(serviceUser);
        assertThat(regionA.get(JWKS).body()).isEqualTo(regionB.get(JWKS).body());
        assertThat(verify(fromA, regionB).getIssuer()).isEqualTo(verify(fromB, regionA).getIssuer());
    }

    @Test
    @DisplayName("a service user disabled through region A is refused in region B once the write has replicated")
    void disableReplicates() throws Exception {
        long lag = 300;
        EmulatedRegions.replicationLag(lag);
        token(regionB);
        long disabledAt = System.nanoTime();
        storeA.setState(serviceUser, ServiceUserState.DISABLED);
        assertThat(clientCredentials(regionA).status()).as("at once in A").isEqualTo(403);
        long refusedAfter = millisUntil(ignored -> clientCredentials(regionB).status() == 403, Duration.ofSeconds(5));
        long sinceDisable = (System.nanoTime() - disabledAt) / 1_000_000;
        report("replication lag set to " + lag + " ms; a disable through A was refused in B after " + sinceDisable
                + " ms");
        assertThat(sinceDisable).isGreaterThanOrEqualTo(lag).isLessThan(lag + 2000);
        assertThat(refusedAfter).isGreaterThan(0);
    }

    @Test
    @DisplayName("with region A down, region B keeps issuing and stays healthy; assertions wait for A, their home")
    void regionFailure() throws Exception {
        String before = token(regionB);
        EmulatedRegions.unavailable(A);
        long started = System.nanoTime();
        int issued = 0;
        List<Long> latencies = new ArrayList<>();
        while (System.nanoTime() - started < Duration.ofSeconds(2).toNanos()) {
            long one = System.nanoTime();
            String token = token(regionB);
            latencies.add((System.nanoTime() - one) / 1_000_000);
            assertThat(verify(token, regionB).getSubject()).isEqualTo(serviceUser);
            issued++;
        }
        latencies.sort(null);
        report("with " + A + " down, " + B + " issued " + issued + " client_credentials tokens in 2 s, none failed; "
                + "p50 " + latencies.get(latencies.size() / 2) + " ms, max " + latencies.get(latencies.size() - 1)
                + " ms");
        assertThat(regionB.get("/health").status()).isEqualTo(200);
        assertThat(clientCredentials(regionA).status()).as("A itself cannot reach its table").isEqualTo(503);

        long refusedAt = System.nanoTime();
        Response assertionDuringOutage = exchange(regionB, assertion());
        long refusalMillis = (System.nanoTime() - refusedAt) / 1_000_000;
        report("an assertion in " + B + " while " + A + " (the replay records' home) is down: "
                + assertionDuringOutage.status() + " after " + refusalMillis + " ms");
        assertThat(assertionDuringOutage.status()).isEqualTo(503);

        EmulatedRegions.unavailable();
        assertThat(exchange(regionB, assertion()).status()).as("once A is back").isEqualTo(200);
        assertThat(kid(before)).isEqualTo(kid(token(regionA)));
    }

    @Test
    @DisplayName("a rotation through tokenctl reaches both regions: each signs with the new kid, which both JWKS list")
    void rotationReachesBothRegions() throws Exception {
        long lag = 300;
        EmulatedRegions.replicationLag(lag);
        String oldKid = kid(token(regionA));
        InProcessTokenCtl.Run rotation = InProcessTokenCtl.run(tokenctlEnv, "signing-key", "rotate",
                "--publish-lead", "0");
        assertThat(rotation.status()).as(rotation.err()).isZero();
        long rotatedAt = System.nanoTime();
        String newKid = rotation.json().at("/signing/kid").asText();
        assertThat(newKid).isNotEqualTo(oldKid);
        long inA = millisUntil(ignored -> newKid.equals(kidOrNull(token(regionA))), Duration.ofSeconds(10));
        long inB = millisUntil(ignored -> newKid.equals(kidOrNull(token(regionB))), Duration.ofSeconds(10));
        report("after a rotation (refresh 1 s, replication lag " + lag + " ms) A signed with the new kid after "
                + inA + " ms, B after " + (System.nanoTime() - rotatedAt) / 1_000_000 + " ms");
        String fromB = token(regionB);
        assertThat(verify(fromB, regionA).getSubject()).isEqualTo(serviceUser);
        assertThat(verify(token(regionA), regionB).getSubject()).isEqualTo(serviceUser);
        JsonNode jwksB = regionB.get(JWKS).json();
        assertThat(jwksB.get("keys").findValuesAsText("kid")).containsExactly(newKid, oldKid);
        assertThat(inB).isGreaterThanOrEqualTo(0);
    }

    private static String kidOrNull(String token) {
        try {
            return kid(token);
        } catch (Exception e) {
            return null;
        }
    }

    @Test
    @DisplayName("single use across regions: an assertion used in A is refused in B within the replication window, "
            + "and of the same assertion sent to both at once exactly one gets a token")
    void singleUseAcrossRegions() throws Exception {
        EmulatedRegions.replicationLag(2000);
        String assertion = assertion();
        assertThat(exchange(regionA, assertion).status()).isEqualTo(200);
        Response replayed = exchange(regionB, assertion);
        assertThat(replayed.status()).as("replayed in B within the 2 s window").isEqualTo(401);
        assertThat(replayed.json().get("error_description").asText()).contains("used");

        ExecutorService pool = Executors.newFixedThreadPool(2);
        int rounds = 20;
        int doubleIssued = 0;
        int noneIssued = 0;
        List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        try {
            for (int round = 0; round < rounds; round++) {
                String raced = assertion();
                Future<Integer> inA = pool.submit(() -> exchange(regionA, raced).status());
                Future<Integer> inB = pool.submit(() -> {
                    long one = System.nanoTime();
                    int status = exchange(regionB, raced).status();
                    latencies.add((System.nanoTime() - one) / 1_000_000);
                    return status;
                });
                int successes = (inA.get() == 200 ? 1 : 0) + (inB.get() == 200 ? 1 : 0);
                doubleIssued += successes > 1 ? 1 : 0;
                noneIssued += successes == 0 ? 1 : 0;
            }
        } finally {
            pool.shutdown();
        }
        latencies.sort(null);
        report(rounds + " assertions each sent to A and B at once: " + (rounds - doubleIssued - noneIssued)
                + " got exactly one token, " + doubleIssued + " two, " + noneIssued + " none; B's jwt-bearer p50 "
                + latencies.get(latencies.size() / 2) + " ms with its replay record written in A");
        assertThat(doubleIssued).isZero();
        assertThat(noneIssued).isZero();
    }

    @Test
    @DisplayName("why replay records live in one region: kept in each region's own replica, an assertion is accepted "
            + "twice within the replication window")
    void localReplayRecordsWouldAcceptTwice() {
        EmulatedRegions.replicationLag(2000);
        HttpApiInvoker regionBLocalReplay = function(B, kmsB, dynamoB, dynamoB);
        String assertion = assertion();
        assertThat(exchange(regionA, assertion).status()).isEqualTo(200);
        assertThat(exchange(regionBLocalReplay, assertion).status()).as("the MREC window").isEqualTo(200);
        report("with replay records in each region's own replica, one assertion got a token in A and again in B "
                + "(replication lag 2000 ms)");
    }
}
