package dev.tokenissuer.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenissuer.http.HttpRequest;
import dev.tokenissuer.http.HttpResponse;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ApiGatewayEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static List<Path> sampleEvents() {
        return SampleEvents.all();
    }

    private static HttpRequest read(String event) throws Exception {
        return ApiGatewayEvents.read(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8))).request();
    }

    @Test
    @DisplayName("the sample events are all there")
    void sampleEventsPresent() {
        assertThat(sampleEvents()).extracting(path -> path.getFileName().toString()).contains(
                "jwks.json", "token-bad-request.json", "token-client-credentials-basic.json",
                "token-client-credentials-form.json", "token-client-credentials-json.json", "token-jwt-bearer.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sampleEvents")
    @DisplayName("each sample event decodes into its method, path, headers and body")
    void decodesSampleEvent(Path file) throws Exception {
        JsonNode event = JSON.readTree(file.toFile());

        HttpRequest request;
        try (InputStream in = Files.newInputStream(file)) {
            request = ApiGatewayEvents.read(in).request();
        }

        assertThat(request.method()).isEqualTo(event.at("/requestContext/http/method").asText());
        assertThat(request.path()).isEqualTo(event.get("rawPath").asText());
        event.get("headers").properties().forEach(header -> {
            // API Gateway lower-cases header names; lookups must work whatever the case.
            String name = header.getKey();
            assertThat(request.header(name)).contains(header.getValue().asText());
            assertThat(request.header(name.toUpperCase(Locale.ROOT))).contains(header.getValue().asText());
        });
        byte[] expectedBody = !event.has("body") ? new byte[0]
                : event.path("isBase64Encoded").asBoolean() ? Base64.getDecoder().decode(event.get("body").asText())
                : event.get("body").asText().getBytes(StandardCharsets.UTF_8);
        assertThat(request.body()).isEqualTo(expectedBody);
    }

    @Test
    @DisplayName("a base64-encoded body is decoded")
    void base64Body() throws Exception {
        HttpRequest request;
        try (InputStream in = Files.newInputStream(SampleEvents.named("token-client-credentials-basic.json"))) {
            request = ApiGatewayEvents.read(in).request();
        }

        assertThat(new String(request.body(), StandardCharsets.UTF_8)).isEqualTo("grant_type=client_credentials");
        assertThat(request.header("Authorization")).hasValueSatisfying(value -> assertThat(value).startsWith("Basic "));
        assertThat(request.header("CONTENT-TYPE")).contains("application/x-www-form-urlencoded");
    }

    @Test
    @DisplayName("a body that claims base64 but is not becomes an unreadable body, not an exception")
    void brokenBase64Body() throws Exception {
        HttpRequest request = read("{\"rawPath\":\"/v1beta1/auth/token\",\"requestContext\":{\"http\":"
                + "{\"method\":\"POST\"}},\"isBase64Encoded\":true,\"body\":\"***\"}");

        assertThat(request.body()).isNotEmpty();
    }

    @Test
    @DisplayName("a missing body is an empty body, and a missing rawPath falls back to requestContext.http.path")
    void minimalEvent() throws Exception {
        HttpRequest request = read("{\"requestContext\":{\"http\":{\"method\":\"get\",\"path\":\"/x\"}}}");

        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.path()).isEqualTo("/x");
        assertThat(request.body()).isEmpty();
        assertThat(request.headers()).isEmpty();
    }

    @Test
    @DisplayName("writes the response as a payload 2.0 result: statusCode, headers, body, not base64")
    void writesResponse() throws Exception {
        HttpResponse response = HttpResponse.json(401, "{\"code\":16}",
                Map.of("WWW-Authenticate", "Basic realm=\"token-issuer\""));
        ApiGatewayEvents.Event event = new ApiGatewayEvents.Event(new HttpRequest("POST", "/", Map.of(), null),
                ApiGatewayEvents.Format.HTTP_API_V2);

        JsonNode out = JSON.readTree(ApiGatewayEvents.write(event, response));

        assertThat(out.get("statusCode").asInt()).isEqualTo(401);
        assertThat(out.get("headers").get("WWW-Authenticate").asText()).isEqualTo("Basic realm=\"token-issuer\"");
        assertThat(out.get("headers").get("Content-Type").asText()).isEqualTo("application/json");
        assertThat(out.get("body").asText()).isEqualTo("{\"code\":16}");
        assertThat(out.get("isBase64Encoded").asBoolean()).isFalse();
    }
}
