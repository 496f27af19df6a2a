package dev.tokenissuer.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenissuer.api.RequestLog;
import dev.tokenissuer.api.TokenIssuerApi;
import dev.tokenissuer.http.Endpoints;
import dev.tokenissuer.http.HttpResponse;
import dev.tokenissuer.store.ServiceUserState;
import dev.tokenissuer.testing.FakeCredentialStore;
import dev.tokenissuer.testing.LocalSigningKeys;
import dev.tokenissuer.testing.Requests;
import dev.tokenissuer.testing.TestApis;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.kms.model.KmsException;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.tokenissuer.testing.TestCredentials.CLIENT_ID;
import static dev.tokenissuer.testing.TestCredentials.CLIENT_SECRET;
import static dev.tokenissuer.testing.TestCredentials.basic;
import static org.assertj.core.api.Assertions.assertThat;

class JsonLinesRequestLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final RequestLog log = new JsonLinesRequestLog(new PrintStream(out, true, StandardCharsets.UTF_8));

    private List<String> lines() {
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private TokenIssuerApi api(FakeCredentialStore store) {
        return TestApis.create(store, LocalSigningKeys.rsa(), log);
    }

    @Test
    @DisplayName("logs one JSON line per request with method, path, status and duration")
    void lineShape() throws Exception {
        api(new FakeCredentialStore()).handle(Requests.get(Endpoints.JWKS_PATH).build());

        assertThat(lines()).hasSize(1);
        JsonNode line = JSON.readTree(lines().get(0));
        assertThat(line.get("level").asText()).isEqualTo("INFO");
        assertThat(line.get("method").asText()).isEqualTo("GET");
        assertThat(line.get("path").asText()).isEqualTo(Endpoints.JWKS_PATH);
        assertThat(line.get("status").asInt()).isEqualTo(200);
        assertThat(line.has("latency_ms")).isTrue();
    }

    @Test
    @DisplayName("a successful request's line has neither the secret, the Authorization header nor the token")
    void successHidesCredentialsAndToken() throws Exception {
        String authorization = basic(CLIENT_ID, CLIENT_SECRET);
        HttpResponse response = api(new FakeCredentialStore().withDemoCredential(ServiceUserState.ENABLED))
                .handle(Requests.post(Endpoints.TOKEN_PATH).header("Authorization", authorization)
                        .form("grant_type=client_credentials").build());
        String token = JSON.readTree(response.body()).get("access_token").asText();

        String logged = out.toString(StandardCharsets.UTF_8);
        assertThat(response.status()).isEqualTo(200);
        assertThat(logged).isNotBlank()
                .doesNotContain(CLIENT_SECRET)
                .doesNotContain(authorization.substring("Basic ".length()))
                .doesNotContain(token)
                .doesNotContain(token.split("\\.")[1]);
    }

    @Test
    @DisplayName("a rejected request's line does not contain the secret from its body")
    void rejectionHidesSecret() {
        api(new FakeCredentialStore().withDemoCredential(ServiceUserState.ENABLED))
                .handle(Requests.post(Endpoints.TOKEN_PATH).header("Authorization", basic(CLIENT_ID, "other"))
                        .form("grant_type=client_credentials&client_secret=" + CLIENT_SECRET).build());

        assertThat(lines()).hasSize(2);
        assertThat(lines().get(0)).contains("400").doesNotContain(CLIENT_SECRET).doesNotContain("other");
    }

    @Test
    @DisplayName("a failure is logged by exception class and AWS error code, never by its message")
    void failureLoggedWithoutMessage() throws Exception {
        KmsException kms = (KmsException) KmsException.builder().statusCode(400)
                .message("denied for secret " + CLIENT_SECRET)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDeniedException")
                        .errorMessage("denied for secret " + CLIENT_SECRET).build())
                .build();
        api(new FakeCredentialStore().failingWith(new IllegalStateException("wrapped " + CLIENT_SECRET, kms)))
                .handle(Requests.post(Endpoints.TOKEN_PATH).header("Authorization",
                        basic(CLIENT_ID, CLIENT_SECRET)).form("grant_type=client_credentials").build());

        JsonNode line = JSON.readTree(lines().get(0));
        assertThat(line.get("level").asText()).isEqualTo("ERROR");
        assertThat(line.get("status").asInt()).isEqualTo(500);
        assertThat(line.get("fault").asText())
                .contains(IllegalStateException.class.getName())
                .contains(KmsException.class.getName())
                .contains("AccessDeniedException");
        assertThat(lines().get(0)).doesNotContain(CLIENT_SECRET).doesNotContain("denied for");
    }

    @Test
    @DisplayName("a very long path is cut short in the log")
    void longPathTruncated() throws Exception {
        api(new FakeCredentialStore()).handle(Requests.get("/" + "a".repeat(5000)).build());

        assertThat(JSON.readTree(lines().get(0)).get("path").asText()).hasSize(200);
    }

    @Test
    @DisplayName("a request's method and path are logged only up to a bound, however long the client made them")
    void requestDerivedFieldsAreBounded() throws Exception {
        String method = "M".repeat(100_000);
        String path = "/" + "p".repeat(100_000);

        api(new FakeCredentialStore()).handle(Requests.request(method, path).build());

        assertThat(lines()).hasSize(1);
        String logged = lines().get(0);
        JsonNode line = JSON.readTree(logged);
        assertThat(line.get("method").asText()).isEqualTo("M".repeat(JsonLinesRequestLog.MAX_METHOD_CHARS));
        assertThat(line.get("path").asText()).hasSize(JsonLinesRequestLog.MAX_PATH_CHARS);
        assertThat(logged.length()).isLessThan(512);
    }
}
