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

/**
 * Translates API Gateway proxy events into {@link HttpRequest}s and {@link HttpResponse}s back: the HTTP API's
 * payload format 2.0, which Lambda function URLs share.
 */
public final class ApiGatewayEvents {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ApiGatewayEvents() {
    }

    /** A parsed event: the request, and how to shape the answer for the front that sent it. */
    public record Event(HttpRequest request) {
    }

    public static Event read(InputStream input) throws IOException {
        JsonNode event = MAPPER.readTree(input);
        if (event == null || !event.isObject()) {
            throw new IllegalArgumentException("the event is not a JSON object");
        }
        JsonNode http = event.path("requestContext").path("http");
        String method = http.path("method").asText("");
        String path = event.path("rawPath").asText(http.path("path").asText(""));
        Map<String, String> headers = new HashMap<>();
        for (Map.Entry<String, JsonNode> header : event.path("headers").properties()) {
            if (header.getValue().isTextual()) {
                headers.put(header.getKey(), header.getValue().asText());
            }
        }
        byte[] body = body(event);
        return new Event(new HttpRequest(method, path, headers, body));
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
