package dev.tokenissuer.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenissuer.api.TokenIssuerApi;
import dev.tokenissuer.config.IssuerConfig;
import dev.tokenissuer.http.HttpRequest;
import dev.tokenissuer.http.HttpResponse;
import dev.tokenissuer.testing.AwsEmulator;
import dev.tokenissuer.testing.DeployedApis;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What a client sees when KMS or DynamoDB is unreachable or misconfigured: a quick, bare 5xx. */
class DependencyFaultsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    @DisplayName("answers 503 within the configured bound when AWS cannot be reached")
    void unreachableAwsIsA503InBoundedTime() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        AwsEmulator.endpoint(); // sets test credentials and region
        TokenIssuerApi api = DeployedApis.create(IssuerConfig.from(Map.of(
                "AWS_ENDPOINT_URL", "http://127.0.0.1:" + closedPort,
                "AWS_CALL_TIMEOUT_MILLIS", "1000")));

        long started = System.nanoTime();
        HttpResponse response = api.handle(tokenRequest());
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.headers()).containsEntry("Retry-After", "1");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("code").asInt()).isEqualTo(14);
        assertThat(body.get("error").asText()).isEqualTo("temporarily_unavailable");
        assertThat(response.body()).doesNotContain("127.0.0.1").doesNotContain("Exception");
        assertThat(millis).isLessThan(5_000);
    }

    @Test
    @DisplayName("answers a bare 500 when the table does not exist (a deployment mistake, not the client's)")
    void missingTableIsA500WithoutInternals() throws Exception {
        try (KmsClient kms = AwsEmulator.kms(); DynamoDbClient dynamo = AwsEmulator.dynamo()) {
            TokenIssuerApi api = DeployedApis.create(
                    IssuerConfig.from(AwsEmulator.environment("no-such-table", "alias/none")), kms, dynamo);

            HttpResponse response = api.handle(tokenRequest());

            assertThat(response.status()).isEqualTo(500);
            assertThat(JSON.readTree(response.body()).get("message").asText()).isEqualTo("internal server error");
            assertThat(response.body()).doesNotContain("no-such-table").doesNotContain("ResourceNotFound");
        }
    }

    @Test
    @DisplayName("answers a bare 500 on the JWKS when the signing key does not exist")
    void missingKeyIsA500WithoutInternals() throws Exception {
        try (KmsClient kms = AwsEmulator.kms(); DynamoDbClient dynamo = AwsEmulator.dynamo()) {
            // A table that exists, so it is the key that is missing (the verification set is read first).
            TokenIssuerApi api = DeployedApis.create(IssuerConfig.from(AwsEmulator.environment(
                    AwsEmulator.newTable(dynamo), "alias/no-such-key")), kms, dynamo);

            HttpResponse response = api.handle(new HttpRequest("GET", "/.well-known/jwks.json", Map.of(), null));

            assertThat(response.status()).isEqualTo(500);
            assertThat(response.body()).doesNotContain("no-such-key");
        }
    }

    /** As API Gateway passes one, with its Host: the issuer is derived from the request here (no TOKEN_ISSUER). */
    private static HttpRequest tokenRequest() {
        return new HttpRequest("POST", "/v1beta1/auth/token",
                Map.of("Content-Type", "application/x-www-form-urlencoded",
                        "Host", "abc123.execute-api.us-east-1.amazonaws.com", "X-Forwarded-Proto", "https"),
                ("grant_type=client_credentials&client_id=5e0ad0a4-8b7c-4c8e-9f0e-2b7f3c1d6a90"
                        + "&client_secret=whatever").getBytes(StandardCharsets.UTF_8));
    }
}
