package dev.tokenissuer.testing;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenissuer.http.HttpResponse;
import dev.tokenissuer.lambda.ApiGatewayEvents;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
            HttpResponse response = ApiGatewayEvents.response(out.toByteArray());
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            headers.putAll(response.headers());
            return new Response(response.status(), headers, response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A payload format 2.0 event; header names lower-cased as API Gateway does, the body base64-encoded. */
    public static byte[] event(String method, String path, Map<String, String> headers, String body) {
        APIGatewayV2HTTPEvent event = ApiGatewayEventBuilders.httpApi(method, path, null);
        event.getRequestContext().getHttp().setProtocol("HTTP/1.1");
        event.getRequestContext().getHttp().setSourceIp("127.0.0.1");
        headers.forEach((name, value) -> ApiGatewayEventBuilders.header(event, name, value));
        if (body != null) {
            ApiGatewayEventBuilders.base64Body(event, body.getBytes(StandardCharsets.UTF_8));
        }
        return ApiGatewayEventBuilders.json(event);
    }
}
