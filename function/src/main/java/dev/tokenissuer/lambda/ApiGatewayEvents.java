package dev.tokenissuer.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenissuer.http.HttpRequest;
import dev.tokenissuer.http.HttpResponse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Translates API Gateway proxy events into {@link HttpRequest}s and {@link HttpResponse}s back, for every front
 * that can invoke the function: an HTTP API (payload format 2.0, the template's), a Lambda function URL (the same
 * format) and a REST API proxy integration (payload format 1.0). The response shape
 * ({@code statusCode}, {@code headers}, {@code body}, {@code isBase64Encoded}) is understood by all three.
 */
public final class ApiGatewayEvents {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ApiGatewayEvents() {
    }

    /** Which API Gateway front sent an event. */
    public enum Format {
        /** HTTP API payload format 2.0, and Lambda function URLs, which share it. */
        HTTP_API_V2,
        /** REST API proxy integration (and HTTP API payload format 1.0). */
        REST_API_V1
    }

    /** A parsed event: the request, and the front that sent it. */
    public record Event(HttpRequest request, Format format) {
    }

    public static Event read(InputStream input) throws IOException {
        JsonNode event = MAPPER.readTree(input);
        if (event == null || !event.isObject()) {
            throw new IllegalArgumentException("the event is not a JSON object");
        }
        boolean v1 = event.has("httpMethod") || "1.0".equals(event.path("version").asText());
        return v1 ? readV1(event) : readV2(event);
    }

    private static Event readV2(JsonNode event) {
        JsonNode http = event.path("requestContext").path("http");
        String method = http.path("method").asText("");
        String path = event.path("rawPath").asText(http.path("path").asText(""));
        // HTTP APIs join repeated headers with commas in `headers`; cookies travel separately and are not needed.
        Map<String, String> headers = textFields(event.path("headers"));
        return new Event(new HttpRequest(method, path, headers, body(event)), Format.HTTP_API_V2);
    }

    private static Event readV1(JsonNode event) {
        String method = event.path("httpMethod").asText("");
        String path = event.path("path").asText("");
        // REST APIs keep only the last value of a repeated header in `headers`; all of them are in
        // `multiValueHeaders`, which is what a repeated Authorization header must be judged on.
        Map<String, String> headers = textFields(event.path("headers"));
        for (Map.Entry<String, JsonNode> header : event.path("multiValueHeaders").properties()) {
            if (header.getValue().isArray() && !header.getValue().isEmpty()) {
                StringJoiner joined = new StringJoiner(",");
                header.getValue().forEach(value -> joined.add(value.asText()));
                headers.remove(header.getKey());
                headers.put(header.getKey(), joined.toString());
            }
        }
        return new Event(new HttpRequest(method, path, headers, body(event)), Format.REST_API_V1);
    }

    private static Map<String, String> textFields(JsonNode object) {
        Map<String, String> fields = new HashMap<>();
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            if (field.getValue().isTextual()) {
                fields.put(field.getKey(), field.getValue().asText());
            }
        }
        return fields;
    }

    private static byte[] body(JsonNode event) {
        JsonNode body = event.get("body");
        if (body == null || body.isNull()) {
            return new byte[0];
        }
        String text = body.asText();
        if (event.path("isBase64Encoded").asBoolean(false)) {
            try {
                return Base64.getDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                // Only a broken front sends this; treat it as an unreadable body, which the API answers with a 400.
                return new byte[] {(byte) 0xff};
            }
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] write(Event event, HttpResponse response) throws IOException {
        ObjectNode out = MAPPER.createObjectNode();
        out.put("statusCode", response.status());
        ObjectNode headers = out.putObject("headers");
        response.headers().forEach(headers::put);
        out.put("body", response.body());
        out.put("isBase64Encoded", false);
        return MAPPER.writeValueAsBytes(out);
    }
}
