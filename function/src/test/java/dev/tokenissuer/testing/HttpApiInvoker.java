package dev.tokenissuer.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * Invokes a Lambda handler the way API Gateway's HTTP API does: with a payload format 2.0 event (or a file from
 * {@code events/}) on the input stream, reading the event response off the output stream.
 */
public final class HttpApiInvoker {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RequestStreamHandler handler;

    public HttpApiInvoker(RequestStreamHandler handler) {
        this.handler = handler;
    }

    /** A response as the client would see it: status, headers (case-insensitive names) and body. */
    public record Response(int status, Map<String, String> headers, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("response body is not JSON: " + body, e);
            }
        }
    }

    public Response post(String path, Map<String, String> headers, String body) {
        return invoke(event("POST", path, headers, body));
    }

    public Response get(String path) {
        return invoke(event("GET", path, Map.of(), null));
    }

    public Response request(String method, String path, Map<String, String> headers, String body) {
        return invoke(event(method, path, headers, body));
    }

    /** Posts a sample event file, e.g. {@code events/token-client-credentials-basic.json}. */
    public Response invokeFile(Path eventFile) {
        try {
            return invoke(Files.readAllBytes(eventFile));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Response invoke(byte[] event) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(event), out, null);
            JsonNode response = JSON.readTree(out.toByteArray());
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (Map.Entry<String, JsonNode> header : response.path("headers").properties()) {
                headers.put(header.getKey(), header.getValue().asText());
            }
            String body = response.path("body").asText("");
            if (response.path("isBase64Encoded").asBoolean(false)) {
                body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
            }
            return new Response(response.path("statusCode").asInt(), headers, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A payload format 2.0 event; header names lower-cased as API Gateway does, the body base64-encoded. */
    public static byte[] event(String method, String path, Map<String, String> headers, String body) {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", "$default");
        event.put("rawPath", path);
        event.put("rawQueryString", "");
        ObjectNode eventHeaders = event.putObject("headers");
        headers.forEach((name, value) -> eventHeaders.put(name.toLowerCase(java.util.Locale.ROOT), value));
        ObjectNode http = event.putObject("requestContext").putObject("http");
        http.put("method", method);
        http.put("path", path);
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", "127.0.0.1");
        if (body != null) {
            event.put("body", Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)));
            event.put("isBase64Encoded", true);
        } else {
            event.put("isBase64Encoded", false);
        }
        try {
            return JSON.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
