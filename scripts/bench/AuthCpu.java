import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.tokenissuer.api.RequestLog;
import dev.tokenissuer.api.TokenIssuerApi;
import dev.tokenissuer.http.Endpoints;
import dev.tokenissuer.http.HttpRequest;
import dev.tokenissuer.lambda.TokenIssuerApplication;
import dev.tokenissuer.signing.SigningKey;
import dev.tokenissuer.signing.SigningKeys;
import dev.tokenissuer.store.PublicKeyCredential;
import dev.tokenissuer.store.ServiceUserState;
import dev.tokenissuer.testing.ClientAssertions;
import dev.tokenissuer.testing.DpopProofMaker;
import dev.tokenissuer.testing.FakeCredentialStore;
import dev.tokenissuer.testing.InMemoryReplayGuard;
import dev.tokenissuer.testing.Requests;
import dev.tokenissuer.testing.TestApis;
import dev.tokenissuer.testing.TestCredentials;

import java.lang.management.ManagementFactory;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The CPU the function itself spends on one warm token request, for each client authentication and token kind
 * (docs/performance.md): the API as TokenIssuerApplication wires it, over the project's in-memory store and replay
 * guard and a stand-in for KMS, so only the function's own work is on this thread (request parsing, the secret's
 * hash, the assertion's and the proof's signature checks, claims, JSON). Not measured: the AWS SDK's work for each
 * call (the same per call whatever the combination; docs/api.md counts the calls) and KMS's signature.
 * Every assertion and proof is made before the clock starts: the client's signing is not the function's CPU.
 * Prints, per combination: median and mean thread CPU in microseconds and allocated KiB per request.
 *   java AuthCpu [requests per combination, default 1000] [warm-up rounds, default 3]
 */
public class AuthCpu {

    private static final String HOST = "auth.example.test";
    private static final String ENDPOINT = "https://" + HOST + Endpoints.TOKEN_PATH;
    private static final String USER = TestCredentials.SERVICE_USER_ID;
    private static final String KID = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
    private static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int warmRounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        RSAKey clientKey = new RSAKeyGenerator(2048).keyID(KID).generate();
        ECKey holder = DpopProofMaker.newKey();
        RSAKey rsaHolder = new RSAKeyGenerator(2048).generate();
        FakeCredentialStore store = new FakeCredentialStore().withDemoCredential(ServiceUserState.ENABLED)
                .with(new PublicKeyCredential(KID, USER, TestCredentials.ORG_ID, ServiceUserState.ENABLED,
                        clientKey.toPublicJWK()));
        TokenIssuerApi api = TokenIssuerApplication.wire(TestApis.CONFIG, new TokenIssuerApplication.Backends(
                store, new InMemoryReplayGuard(), new KmsStandIn(clientKey), Clock.systemUTC()),
                RequestLog.none()).api();

        Map<String, Supplier<Requests>> auth = new LinkedHashMap<>();
        auth.put("client secret (Basic)", () -> Requests.post(Endpoints.TOKEN_PATH).header("Host", HOST)
                .header("Authorization", TestCredentials.basic(TestCredentials.CLIENT_ID, TestCredentials.CLIENT_SECRET))
                .form("grant_type=client_credentials"));
        auth.put("private_key_jwt (RS256)", () -> Requests.post(Endpoints.TOKEN_PATH).header("Host", HOST)
                .form("grant_type=client_credentials&client_assertion_type=" + encoded(ASSERTION_TYPE)
                        + "&client_assertion=" + clientAssertion(clientKey)));
        auth.put("jwt-bearer grant (RS256)", () -> Requests.post(Endpoints.TOKEN_PATH).header("Host", HOST)
                .form("grant_type=" + encoded(JWT_BEARER) + "&assertion=" + frontierAssertion(clientKey)));

        record Combination(String name, Supplier<HttpRequest> request) {
        }
        List<Combination> combinations = new ArrayList<>();
        auth.forEach((name, request) -> {
            combinations.add(new Combination(name + ", Bearer", () -> request.get().build()));
            combinations.add(new Combination(name + ", DPoP (ES256 proof)", () -> request.get()
                    .header("DPoP", DpopProofMaker.proof(holder, ENDPOINT)).build()));
            combinations.add(new Combination(name + ", DPoP (RS256 proof)", () -> request.get()
                    .header("DPoP", ClientAssertions.sign(DpopProofMaker.header(rsaHolder, JWSAlgorithm.RS256).build(),
                            DpopProofMaker.claims(ENDPOINT, Instant.now()).build(), rsaHolder)).build()));
        });

        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        long[][] cpu = new long[combinations.size()][n];
        long[][] bytes = new long[combinations.size()][n];
        // Rounds of each combination in turn, so that machine noise and JIT progress spread over all of them; the
        // warm-up rounds are measured too and thrown away.
        int batch = 100;
        for (int round = -warmRounds; round < n / batch; round++) {
            for (int c = 0; c < combinations.size(); c++) {
                List<HttpRequest> requests = new ArrayList<>(batch);
                for (int i = 0; i < batch; i++) {
                    requests.add(combinations.get(c).request().get());
                }
                for (int i = 0; i < batch; i++) {
                    long b0 = threads.getThreadAllocatedBytes(thread);
                    long c0 = threads.getCurrentThreadCpuTime();
                    int status = api.handle(requests.get(i)).status();
                    long c1 = threads.getCurrentThreadCpuTime();
                    long b1 = threads.getThreadAllocatedBytes(thread);
                    if (status != 200) {
                        throw new IllegalStateException(combinations.get(c).name() + ": status " + status);
                    }
                    if (round >= 0) {
                        cpu[c][round * batch + i] = c1 - c0;
                        bytes[c][round * batch + i] = b1 - b0;
                    }
                }
            }
        }
        long baseline = median(cpu[0]);
        System.out.printf("%d warm requests each (JAVA_TOOL_OPTIONS=%s)%n", n,
                System.getenv().getOrDefault("JAVA_TOOL_OPTIONS", ""));
        System.out.printf("%-50s %10s %10s %10s %10s%n", "combination", "median µs", "mean µs", "+ median", "KiB");
        for (int c = 0; c < combinations.size(); c++) {
            long median = median(cpu[c]);
            System.out.printf("%-50s %10.0f %10.0f %+10.0f %10.1f%n", combinations.get(c).name(), median / 1e3,
                    Arrays.stream(cpu[c]).average().orElse(0) / 1e3, (median - baseline) / 1e3,
                    Arrays.stream(bytes[c]).average().orElse(0) / 1024);
        }
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static String encoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** As openid-client makes one: iss = sub = the service user, aud = the token endpoint, 60 s, a fresh jti. */
    private static String clientAssertion(RSAKey key) {
        Instant now = Instant.now();
        return ClientAssertions.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(KID).build(),
                new JWTClaimsSet.Builder().issuer(USER).subject(USER).audience(ENDPOINT)
                        .jwtID(UUID.randomUUID().toString()).issueTime(Date.from(now))
                        .expirationTime(Date.from(now.plusSeconds(60))).build(), key);
    }

    private static String frontierAssertion(RSAKey key) {
        try {
            return ClientAssertions.frontierAssertion(key.toPrivateKey(), KID, USER, Duration.ofMinutes(5));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The signing key as the function sees KMS: it hashes the signing input (KmsJwsSigner sends KMS the digest) and
     * gets a signature back; KMS's RSA work is not the function's CPU, so the signature is 256 fixed bytes here.
     */
    private static final class KmsStandIn implements SigningKeys, JWSSigner {

        private final SigningKey key;
        private final com.nimbusds.jose.jwk.JWK publicJwk;

        KmsStandIn(RSAKey publicKey) {
            this.publicJwk = publicKey.toPublicJWK();
            this.key = new SigningKey("kms-stand-in", JWSAlgorithm.RS256, publicJwk, this);
        }

        @Override
        public SigningKey signingKey() {
            return key;
        }

        @Override
        public List<com.nimbusds.jose.jwk.JWK> verificationKeys() {
            return List.of(publicJwk);
        }

        @Override
        public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(signingInput);
                return Base64URL.encode(Arrays.copyOf(digest, 256));
            } catch (Exception e) {
                throw new JOSEException(e.getMessage(), e);
            }
        }

        @Override
        public Set<JWSAlgorithm> supportedJWSAlgorithms() {
            return Set.of(JWSAlgorithm.RS256);
        }

        @Override
        public JCAContext getJCAContext() {
            return new JCAContext();
        }
    }
}
