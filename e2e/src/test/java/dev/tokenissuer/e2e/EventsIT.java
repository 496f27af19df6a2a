package dev.tokenissuer.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenissuer.config.IssuerConfig;
import dev.tokenissuer.lambda.TokenIssuerHandler;
import dev.tokenissuer.testing.AwsEmulator;
import dev.tokenissuer.testing.DeployedApis;
import dev.tokenissuer.testing.HttpApiInvoker.Response;
import dev.tokenissuer.testing.HttpApiInvoker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeySpec;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every sample event in {@code events/} through the handler, against the emulator. The client_credentials samples
 * carry a fixed demo client id and secret, provisioned by {@link SampleEventsFixture}. The jwt-bearer sample
 * carries a placeholder: an assertion must be fresh and single use, so one is signed here, with the key the fixture
 * registered under a fixed kid ({@link SampleEventsFixture#EVENTS_KID}), and put in its place.
 */
class EventsIT {

    static final Path EVENTS = Path.of("..", "events");
    /** Beside the events, and not one of them: what each is answered. */
    static final Path EXPECTED_STATUSES = EVENTS.resolve("expected-statuses.json");
    static final String ASSERTION_PLACEHOLDER = SampleEventsFixture.ASSERTION_PLACEHOLDER;

    private static KmsClient kms;
    private static DynamoDbClient dynamo;
    private static HttpApiInvoker api;
    private static SampleEventsFixture.Provisioned provisioned;

    @BeforeAll
    static void provision() {
        kms = AwsEmulator.kms();
        dynamo = AwsEmulator.dynamo();
        String table = "events-" + UUID.randomUUID();
        String alias = "alias/events-" + UUID.randomUUID();
        provisioned = SampleEventsFixture.provision(dynamo, kms, table, alias, KeySpec.RSA_2048);
        api = new HttpApiInvoker(new TokenIssuerHandler(DeployedApis.create(
                IssuerConfig.from(AwsEmulator.environment(table, alias)), kms, dynamo)));
    }

    @AfterAll
    static void close() {
        kms.close();
        dynamo.close();
    }

    /** What each sample is answered as it is: the list the emulator test (scripts/lambda_rie.py) reads too. */
    static Stream<Arguments> expectedStatuses() throws Exception {
        JsonNode statuses = new ObjectMapper().readTree(EXPECTED_STATUSES.toFile());
        List<Arguments> cases = new ArrayList<>();
        statuses.fields().forEachRemaining(entry -> {
            if (!entry.getKey().startsWith("_")) {
                cases.add(Arguments.of(entry.getKey(), entry.getValue().asInt()));
            }
        });
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} answers {1}")
    @MethodSource("expectedStatuses")
    void sampleEventsGetTheirDocumentedAnswer(String file, int status) {
        Response response = api.invokeFile(EVENTS.resolve(file));

        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.headers()).containsEntry("Content-Type", "application/json");
        if (file.startsWith("token-client")) {
            assertThat(response.json().get("access_token").asText()).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
        }
        if (file.endsWith("-configuration.json") || file.endsWith("-server.json")) {
            // The URLs a client would use: the host API Gateway saw, over https.
            assertThat(response.json().get("token_endpoint").asText())
                    .isEqualTo("https://abc123.execute-api.us-east-1.amazonaws.com/v1beta1/auth/token");
        }
    }

    @Test
    @DisplayName("token-jwt-bearer.json is refused as it is, and gets a token once a fresh assertion replaces the placeholder")
    void jwtBearerSampleWithAFreshAssertion() throws Exception {
        String event = Files.readString(EVENTS.resolve("token-jwt-bearer.json"));
        String assertion = provisioned.freshAssertion();

        Response asIs = api.invokeFile(EVENTS.resolve("token-jwt-bearer.json"));
        Response substituted = api.invoke(event.replace(ASSERTION_PLACEHOLDER, assertion)
                .getBytes(StandardCharsets.UTF_8));

        assertThat(event).contains(ASSERTION_PLACEHOLDER);
        assertThat(asIs.status()).isEqualTo(401);
        assertThat(asIs.json().get("error").asText()).isEqualTo("invalid_grant");
        assertThat(substituted.status()).as(substituted.body()).isEqualTo(200);
        assertThat(substituted.json().get("access_token").asText()).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
    }

    @Test
    @DisplayName("every file in events/ has an expected status, and every expected status a file")
    void everyEventFileIsCovered() throws Exception {
        List<String> listed = expectedStatuses().map(arguments -> (String) arguments.get()[0]).toList();
        try (Stream<Path> files = Files.list(EVENTS)) {
            assertThat(files.filter(p -> p.toString().endsWith(".json") && !p.equals(EXPECTED_STATUSES))
                    .map(p -> p.getFileName().toString()))
                    .as("add new event files to " + EXPECTED_STATUSES)
                    .containsExactlyInAnyOrderElementsOf(listed);
        }
    }
}
