package dev.tokenissuer.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenissuer.http.HttpRequest;
import dev.tokenissuer.http.RequestContext;
import dev.tokenissuer.http.HttpResponse;
import dev.tokenissuer.testing.ApiGatewayEventBuilders;
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
                "token-client-credentials-form.json", "token-client-credentials-json.json", "token-jwt-bearer.json",
                "token-client-credentials-rest-api.json", "token-client-credentials-function-url.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sampleEvents")
    @DisplayName("each sample event decodes into its method, path, headers and body")
    void decodesSampleEvent(Path file) throws Exception {
        JsonNode event = JSON.readTree(file.toFile());
        // A REST API (payload 1.0) event names its method and path at the top; payload 2.0 ones (HTTP API, function
        // URL) in requestContext.http and rawPath.
        boolean v1 = event.has("httpMethod");

        ApiGatewayEvents.Event read;
        try (InputStream in = Files.newInputStream(file)) {
            read = ApiGatewayEvents.read(in);
        }
        HttpRequest request = read.request();

        assertThat(read.format()).isEqualTo(v1 ? ApiGatewayEvents.Format.REST_API_V1
                : ApiGatewayEvents.Format.HTTP_API_V2);
        assertThat(request.method()).isEqualTo(v1 ? event.get("httpMethod").asText()
                : event.at("/requestContext/http/method").asText());
        assertThat(request.path()).isEqualTo(v1 ? event.get("path").asText() : event.get("rawPath").asText());
        event.get("headers").properties().forEach(header -> {
            // HTTP APIs lower-case header names, REST APIs keep the client's; lookups must work whatever the case.
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

        assertThat(request.method()).as("kept as sent: methods are case-sensitive").isEqualTo("get");
        assertThat(request.path()).isEqualTo("/x");
        assertThat(request.body()).isEmpty();
        assertThat(request.headers()).isEmpty();
    }

    @Test
    @DisplayName("the audit line's request facts come from each front's requestContext: request id, source IP, user agent")
    void requestContextFromEachFront() throws Exception {
        HttpRequest httpApi;
        HttpRequest restApi;
        try (InputStream in = Files.newInputStream(SampleEvents.named("token-client-credentials-basic.json"))) {
            httpApi = ApiGatewayEvents.read(in).request();
        }
        try (InputStream in = Files.newInputStream(SampleEvents.named("token-client-credentials-rest-api.json"))) {
            restApi = ApiGatewayEvents.read(in).request();
        }

        assertThat(httpApi.context()).isEqualTo(new RequestContext("CxNqfj1DoAMEVHw=", null, "203.0.113.10",
                "curl/8.5.0"));
        assertThat(restApi.context()).isEqualTo(new RequestContext("8b4b1a3e-5c8d-4f3a-9a51-2c1f6f3c2d10", null,
                "203.0.113.10", "curl/8.5.0"));
        assertThat(read("{\"requestContext\":{\"http\":{\"method\":\"GET\",\"path\":\"/x\"}},"
                + "\"headers\":{\"user-agent\":\"ua/1\"}}").context())
                .isEqualTo(new RequestContext(null, null, null, "ua/1"));
    }

    @Test
    @DisplayName("REST API (1.0): method and path from httpMethod and path, not the stage-prefixed requestContext.path")
    void restApiMethodAndPath() throws Exception {
        ApiGatewayEvents.Event event;
        try (InputStream in = Files.newInputStream(SampleEvents.named("token-client-credentials-rest-api.json"))) {
            event = ApiGatewayEvents.read(in);
        }

        assertThat(event.format()).isEqualTo(ApiGatewayEvents.Format.REST_API_V1);
        assertThat(event.request().method()).isEqualTo("POST");
        assertThat(event.request().path()).isEqualTo("/v1beta1/auth/token");
        assertThat(new String(event.request().body(), StandardCharsets.UTF_8)).isEqualTo("grant_type=client_credentials");
        assertThat(event.request().header("authorization")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic "));
    }

    @Test
    @DisplayName("REST API (1.0): a repeated header keeps every value (multiValueHeaders), not only headers' last one")
    void restApiRepeatedHeader() throws Exception {
        HttpRequest request = read("""
                {"httpMethod": "POST", "path": "/v1beta1/auth/token",
                 "headers": {"Authorization": "Basic second", "Content-Type": "application/json"},
                 "multiValueHeaders": {"Authorization": ["Basic first", "Basic second"],
                                       "Content-Type": ["application/json"]},
                 "body": "{}", "isBase64Encoded": false}""");

        assertThat(request.header("Authorization")).contains("Basic first,Basic second");
        assertThat(request.header("content-type")).contains("application/json");
        assertThat(request.headers()).hasSize(2);
    }

    @Test
    @DisplayName("REST API (1.0): headers alone (no multiValueHeaders) are read too; null header maps are no headers")
    void restApiHeadersWithoutMultiValue() throws Exception {
        HttpRequest withHeaders = read("""
                {"httpMethod": "GET", "path": "/.well-known/jwks.json", "headers": {"Accept": "application/json"},
                 "multiValueHeaders": null, "body": null}""");
        HttpRequest withoutHeaders = read("""
                {"httpMethod": "GET", "path": "/.well-known/jwks.json", "headers": null, "multiValueHeaders": null}""");

        assertThat(withHeaders.header("accept")).contains("application/json");
        assertThat(withHeaders.body()).isEmpty();
        assertThat(withoutHeaders.headers()).isEmpty();
    }

    @Test
    @DisplayName("REST API (1.0): a base64 body (binary media types) is decoded")
    void restApiBase64Body() throws Exception {
        String body = Base64.getEncoder().encodeToString("grant_type=client_credentials".getBytes(StandardCharsets.UTF_8));
        HttpRequest request = read("{\"httpMethod\": \"POST\", \"path\": \"/v1beta1/auth/token\", "
                + "\"isBase64Encoded\": true, \"body\": \"" + body + "\"}");

        assertThat(new String(request.body(), StandardCharsets.UTF_8)).isEqualTo("grant_type=client_credentials");
    }

    @Test
    @DisplayName("REST API (1.0) is recognised by version 1.0 alone too (an HTTP API route set to payload 1.0)")
    void payloadVersionOne() throws Exception {
        ApiGatewayEvents.Event event = ApiGatewayEvents.read(new ByteArrayInputStream("""
                {"version": "1.0", "httpMethod": "GET", "path": "/v1beta1/auth/jwks"}"""
                .getBytes(StandardCharsets.UTF_8)));

        assertThat(event.format()).isEqualTo(ApiGatewayEvents.Format.REST_API_V1);
        assertThat(event.request().path()).isEqualTo("/v1beta1/auth/jwks");
    }

    @Test
    @DisplayName("function URL: the payload 2.0 format from a *.lambda-url.* domain, read like an HTTP API event")
    void functionUrl() throws Exception {
        Path file = SampleEvents.named("token-client-credentials-function-url.json");
        JsonNode json = JSON.readTree(file.toFile());
        ApiGatewayEvents.Event event;
        try (InputStream in = Files.newInputStream(file)) {
            event = ApiGatewayEvents.read(in);
        }

        assertThat(json.at("/requestContext/domainName").asText()).contains(".lambda-url.");
        assertThat(json.get("routeKey").asText()).isEqualTo("$default");
        assertThat(event.format()).isEqualTo(ApiGatewayEvents.Format.HTTP_API_V2);
        assertThat(event.request().method()).isEqualTo("POST");
        assertThat(event.request().path()).isEqualTo("/v1beta1/auth/token");
        assertThat(event.request().header("Content-Type")).contains("application/json");
        assertThat(new String(event.request().body(), StandardCharsets.UTF_8)).contains("\"grant_type\"");
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

    @ParameterizedTest(name = "{0}")
    @MethodSource("sampleEvents")
    @DisplayName("each sample event reads the same as when it goes through the library's event types (EventLoader) first")
    void readsAsTheRuntimeTypesHoldIt(Path file) throws Exception {
        JsonNode json = JSON.readTree(file.toFile());
        ApiGatewayEvents.Event fromStream;
        try (InputStream in = Files.newInputStream(file)) {
            fromStream = ApiGatewayEvents.read(in);
        }

        ApiGatewayEvents.Event fromRuntime = json.has("httpMethod")
                ? readBack(EventLoader.loadApiGatewayRestEvent(file.toString()))
                : readBack(EventLoader.loadApiGatewayHttpEvent(file.toString()));

        assertThat(fromRuntime.format()).isEqualTo(fromStream.format());
        assertThat(fromRuntime.request().method()).isEqualTo(fromStream.request().method());
        assertThat(fromRuntime.request().path()).isEqualTo(fromStream.request().path());
        assertThat(fromRuntime.request().headers()).isEqualTo(fromStream.request().headers());
        assertThat(fromRuntime.request().body()).isEqualTo(fromStream.request().body());
    }

    /** An event as the library's type holds it, written back by the library's mapping and read by the codec. */
    private static ApiGatewayEvents.Event readBack(Object typedEvent) throws Exception {
        return ApiGatewayEvents.read(new ByteArrayInputStream(ApiGatewayEventBuilders.json(typedEvent)));
    }

    @Test
    @DisplayName("an HTTP API event built here reads back as sent: header names lower-cased, repeats joined, body base64")
    void builtHttpApiEventReadsBack() throws Exception {
        APIGatewayV2HTTPEvent built = ApiGatewayEventBuilders.httpApi("POST", "/v1beta1/auth/token", "api.example.com");
        ApiGatewayEventBuilders.header(built, "Accept", "application/json");
        ApiGatewayEventBuilders.header(built, "accept", "text/plain");
        ApiGatewayEventBuilders.base64Body(built, "grant_type=client_credentials".getBytes(StandardCharsets.UTF_8));
        byte[] json = ApiGatewayEventBuilders.json(built);

        ApiGatewayEvents.Event event = ApiGatewayEvents.read(new ByteArrayInputStream(json));

        assertThat(JSON.readTree(json).get("headers").fieldNames()).toIterable().containsExactly("host", "accept");
        assertThat(JSON.readTree(json).get("isBase64Encoded").asBoolean()).isTrue();
        assertThat(event.format()).isEqualTo(ApiGatewayEvents.Format.HTTP_API_V2);
        assertThat(event.request().header("Accept")).contains("application/json,text/plain");
        assertThat(event.request().header("Host")).contains("api.example.com");
        assertThat(new String(event.request().body(), StandardCharsets.UTF_8)).isEqualTo("grant_type=client_credentials");
    }

    @Test
    @DisplayName("a REST API event built here reads back with every value of a repeated header")
    void builtRestApiEventReadsBack() throws Exception {
        APIGatewayProxyRequestEvent built = ApiGatewayEventBuilders.restApi("POST", "/v1beta1/auth/token");
        ApiGatewayEventBuilders.header(built, "Authorization", "Basic first");
        ApiGatewayEventBuilders.header(built, "Authorization", "Basic second");
        built.setBody("grant_type=client_credentials");

        ApiGatewayEvents.Event event = ApiGatewayEvents.read(new ByteArrayInputStream(ApiGatewayEventBuilders.json(built)));

        assertThat(built.getHeaders()).containsEntry("Authorization", "Basic second");
        assertThat(event.format()).isEqualTo(ApiGatewayEvents.Format.REST_API_V1);
        assertThat(event.request().header("authorization")).contains("Basic first,Basic second");
        assertThat(new String(event.request().body(), StandardCharsets.UTF_8)).isEqualTo("grant_type=client_credentials");
    }

    @Test
    @DisplayName("a REST API event is answered in the REST API response shape, which reads back as the response sent")
    void writesRestApiResponse() throws Exception {
        HttpResponse response = HttpResponse.json(400, "{\"code\":3}", Map.of("Cache-Control", "no-store"));
        ApiGatewayEvents.Event event = new ApiGatewayEvents.Event(new HttpRequest("POST", "/", Map.of(), null),
                ApiGatewayEvents.Format.REST_API_V1);

        byte[] written = ApiGatewayEvents.write(event, response);
        JsonNode out = JSON.readTree(written);

        assertThat(out.get("statusCode").asInt()).isEqualTo(400);
        assertThat(out.get("isBase64Encoded").asBoolean()).isFalse();
        assertThat(out.has("multiValueHeaders")).isFalse();
        assertThat(ApiGatewayEvents.response(written)).isEqualTo(response);
    }
}
