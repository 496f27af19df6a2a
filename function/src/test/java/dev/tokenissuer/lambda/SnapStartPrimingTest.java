package dev.tokenissuer.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.Base64URL;
import dev.tokenissuer.config.IssuerConfig;
import dev.tokenissuer.signing.SigningKey;
import dev.tokenissuer.signing.SigningKeys;
import dev.tokenissuer.store.ServiceUserState;
import dev.tokenissuer.testing.FakeCredentialStore;
import dev.tokenissuer.testing.LocalSigningKeys;
import dev.tokenissuer.testing.TestApis;
import org.crac.Context;
import org.crac.Resource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class SnapStartPrimingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final FakeCredentialStore store = new FakeCredentialStore().withDemoCredential(ServiceUserState.ENABLED);
    private final CountingKeys keys = new CountingKeys(LocalSigningKeys.rsa());
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final AtomicInteger built = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();

    private SnapStartPriming priming() {
        return new SnapStartPriming(() -> {
            built.incrementAndGet();
            return new SnapStartPriming.Target(TestApis.application(store, keys,
                    SnapStartPriming.discarding(TestApis.CONFIG)),
                    closed::incrementAndGet);
        }, new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    private JsonNode report() throws Exception {
        String[] lines = log.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertThat(lines).hasSize(1);
        return JSON.readTree(lines[0]);
    }

    @Test
    @DisplayName("priming writes no audit or metric line anywhere: its refusals are not clients' refusals")
    void primingLogsNoRequest() throws Exception {
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            priming().beforeCheckpoint(null);
        } finally {
            System.setOut(stdout);
        }

        assertThat(captured.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(log.toString(StandardCharsets.UTF_8)).doesNotContain("token_request").doesNotContain("_aws");
    }

    @Test
    @DisplayName("beforeCheckpoint primes the JWKS, both grants and a bad request, and issues no token")
    void primesWithoutIssuingAToken() throws Exception {
        priming().beforeCheckpoint(null);

        assertThat(keys.signs).hasValue(0);
        assertThat(keys.reads.get()).isPositive();
        // The nil client id, then the nil kid: one read for each grant, nothing found.
        assertThat(store.lookups()).containsExactly(SnapStartPriming.PRIMING_CLIENT_ID,
                SnapStartPriming.PRIMING_CLIENT_ID);
        assertThat(closed).hasValue(1);
        JsonNode report = report();
        assertThat(report.get("level").asText()).isEqualTo("INFO");
        assertThat(report.get("statuses").toString()).isEqualTo("[200,401,400,401,400]");
    }

    @Test
    @DisplayName("the API to prime is built at the checkpoint, not when the hook is registered, and closed after")
    void targetBuiltOnlyAtCheckpoint() {
        SnapStartPriming priming = priming();
        assertThat(built).hasValue(0);

        priming.afterRestore(null);
        assertThat(built).hasValue(0);

        priming.beforeCheckpoint(null);
        assertThat(built).hasValue(1);
        assertThat(closed).hasValue(1);
    }

    @Test
    @DisplayName("afterRestore has nothing to reset: it touches neither the store nor the keys")
    void afterRestoreTouchesNothing() {
        priming().afterRestore(null);

        assertThat(store.lookups()).isEmpty();
        assertThat(keys.reads).hasValue(0);
        assertThat(log.size()).isZero();
    }

    @Test
    @DisplayName("an unreachable dependency makes priming incomplete, logged as a warning, never a failed checkpoint")
    void dependencyFaultIsAWarning() throws Exception {
        store.failingWith(SdkClientException.create("connection refused"));

        List<Integer> statuses = priming().prime();

        // The token exchange's 400: these backends have no trust rules to read (FederationRules.NONE).
        assertThat(statuses).containsExactly(200, 503, 400, 503, 400);
        assertThat(closed).hasValue(1);
        JsonNode report = report();
        assertThat(report.get("level").asText()).isEqualTo("WARN");
        assertThat(report.has("fault")).isFalse();
    }

    @Test
    @DisplayName("a priming target that cannot even be built is a warning too")
    void brokenTargetIsAWarning() throws Exception {
        SnapStartPriming priming = new SnapStartPriming(() -> {
            throw new IllegalStateException("no region");
        }, new PrintStream(log, true, StandardCharsets.UTF_8));

        priming.beforeCheckpoint(null);

        JsonNode report = report();
        assertThat(report.get("level").asText()).isEqualTo("WARN");
        assertThat(report.get("fault").asText()).isEqualTo(IllegalStateException.class.getName());
        assertThat(report.toString()).doesNotContain("no region");
    }

    @Test
    @DisplayName("the priming events come from each API Gateway front: HTTP API, REST API, function URL")
    void onePrimingEventPerFront() throws Exception {
        List<ApiGatewayEvents.Format> formats = new ArrayList<>();
        List<String> domains = new ArrayList<>();
        for (byte[] event : SnapStartPriming.events(TestApis.application(store).grants()).stream()
                .map(SnapStartPriming.Event::json).toList()) {
            formats.add(ApiGatewayEvents.read(new ByteArrayInputStream(event)).format());
            domains.add(JSON.readTree(event).at("/requestContext/domainName").asText());
        }

        assertThat(formats).containsExactly(ApiGatewayEvents.Format.HTTP_API_V2,
                ApiGatewayEvents.Format.REST_API_V1, ApiGatewayEvents.Format.HTTP_API_V2,
                ApiGatewayEvents.Format.HTTP_API_V2, ApiGatewayEvents.Format.HTTP_API_V2);
        assertThat(domains.get(2)).contains(".lambda-url.");
    }

    @Test
    @DisplayName("the Lambda constructor registers one priming hook per handler, i.e. once per container")
    void handlerRegistersPrimingOnce() throws Exception {
        if (System.getenv("AWS_REGION") == null && System.getProperty("aws.region") == null) {
            System.setProperty("aws.region", "us-east-1"); // the SDK clients need one to be built
        }
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        RecordingContext crac = new RecordingContext();

        new TokenIssuerHandler(IssuerConfig.from(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:" + closedPort,
                "AWS_CALL_TIMEOUT_MILLIS", "300")), crac);

        assertThat(crac.registered).singleElement().isInstanceOf(SnapStartPriming.class);
    }

    /** A CRaC context that only remembers what was registered, as the runtime's would before a checkpoint. */
    private static final class RecordingContext extends Context<Resource> {
        final List<Resource> registered = new ArrayList<>();

        @Override
        public void beforeCheckpoint(Context<? extends Resource> context) {
        }

        @Override
        public void afterRestore(Context<? extends Resource> context) {
        }

        @Override
        public void register(Resource resource) {
            registered.add(resource);
        }
    }

    /** Signing keys that count how often the key is read and how often anything is signed with it. */
    private static final class CountingKeys implements SigningKeys {
        final AtomicInteger reads = new AtomicInteger();
        final AtomicInteger signs = new AtomicInteger();
        private final SigningKey key;
        private final List<JWK> published;

        CountingKeys(SigningKeys delegate) {
            SigningKey real = delegate.signingKey();
            JWSSigner counting = new JWSSigner() {
                @Override
                public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
                    signs.incrementAndGet();
                    return real.signer().sign(header, signingInput);
                }

                @Override
                public Set<JWSAlgorithm> supportedJWSAlgorithms() {
                    return real.signer().supportedJWSAlgorithms();
                }

                @Override
                public JCAContext getJCAContext() {
                    return real.signer().getJCAContext();
                }
            };
            this.key = new SigningKey(real.keyId(), real.algorithm(), real.kid(), counting);
            this.published = delegate.verificationKeys();
        }

        @Override
        public SigningKey signingKey() {
            reads.incrementAndGet();
            return key;
        }

        @Override
        public List<JWK> verificationKeys() {
            reads.incrementAndGet();
            return published;
        }
    }
}
