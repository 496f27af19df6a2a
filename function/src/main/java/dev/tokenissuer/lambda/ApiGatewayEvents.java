package dev.tokenissuer.lambda;

import dev.tokenissuer.http.HttpRequest;
import dev.tokenissuer.http.HttpResponse;
import dev.tokenissuer.http.JsonValues;
import dev.tokenissuer.http.RequestContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The codec between API Gateway's JSON and the API's {@link HttpRequest} and {@link HttpResponse}: the one place that
 * knows the event shapes. Three fronts can invoke the function: an HTTP API (payload format 2.0, the template's), a
 * Lambda function URL (the same format) and a REST API proxy integration (payload format 1.0); each is answered in
 * its own response shape.
 *
 * <p>The event is read with the function's streaming JSON reader ({@link JsonValues}, Jackson's core parser) and
 * mapped field by field straight to the request; the response is written the same way. The handler is a
 * {@code RequestStreamHandler}, so neither {@code aws-lambda-java-events}' types nor Jackson's data binding are on
 * the request path: a typed {@code RequestHandler<APIGatewayV2HTTPEvent, ...>} would bind one payload format (and drop
 * a REST API event's method, path and repeated headers), and the runtime's event serialization costs a cold start's
 * first event 60-75 ms more (docs/performance.md, "Event model"). The tests build events with the library's types and
 * hold this mapping to the library's (ApiGatewayEventsTest).
 */
public final class ApiGatewayEvents {

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

    /**
     * @throws IOException              the input is not JSON
     * @throws IllegalArgumentException the input is JSON but not an object
     */
    public static Event read(InputStream input) throws IOException {
        if (!(JsonValues.read(input) instanceof Map<?, ?> event)) {
            throw new IllegalArgumentException("the event is not a JSON object");
        }
        boolean v1 = event.containsKey("httpMethod") || "1.0".equals(text(event, "version"));
        return v1 ? restApi(event) : httpApi(event);
    }

    /** Payload 2.0: method in requestContext.http, the path as sent in rawPath; repeated headers joined by commas. */
    private static Event httpApi(Map<?, ?> event) {
        Map<?, ?> context = object(event, "requestContext");
        Map<?, ?> http = object(context, "http");
        String path = text(event, "rawPath") != null ? text(event, "rawPath") : text(http, "path");
        // Cookies travel separately and are not needed.
        HttpRequest request = new HttpRequest(text(http, "method"), path, textFields(object(event, "headers")),
                body(text(event, "body"), bool(event, "isBase64Encoded")));
        return new Event(request.withContext(new RequestContext(text(context, "requestId"), null,
                text(http, "sourceIp"), userAgent(text(http, "userAgent"), request))), Format.HTTP_API_V2);
    }

    /** Payload 1.0: method and path at the top (not the stage-prefixed requestContext.path). */
    private static Event restApi(Map<?, ?> event) {
        // REST APIs keep only the last value of a repeated header in `headers`; all of them are in
        // `multiValueHeaders`, which is what a repeated Authorization header must be judged on.
        Map<String, String> headers = new HashMap<>(textFields(object(event, "headers")));
        for (Map.Entry<?, ?> header : object(event, "multiValueHeaders").entrySet()) {
            if (header.getValue() instanceof List<?> values && !values.isEmpty()) {
                String name = String.valueOf(header.getKey());
                headers.remove(name);
                headers.put(name, String.join(",", values.stream().map(ApiGatewayEvents::asText).toList()));
            }
        }
        HttpRequest request = new HttpRequest(text(event, "httpMethod"), text(event, "path"), headers,
                body(text(event, "body"), bool(event, "isBase64Encoded")));
        Map<?, ?> context = object(event, "requestContext");
        Map<?, ?> identity = object(context, "identity");
        return new Event(request.withContext(new RequestContext(text(context, "requestId"), null,
                text(identity, "sourceIp"), userAgent(text(identity, "userAgent"), request))), Format.REST_API_V1);
    }

    private static String userAgent(String reported, HttpRequest request) {
        return reported != null ? reported : request.header("User-Agent").orElse(null);
    }

    /** A member that is an object; an empty one when absent or of another type. */
    private static Map<?, ?> object(Map<?, ?> json, String field) {
        return json.get(field) instanceof Map<?, ?> object ? object : Map.of();
    }

    /** A member's text: a string as it is, a number or boolean as written; null when absent or null. */
    private static String text(Map<?, ?> json, String field) {
        Object value = json.get(field);
        return value == null ? null : asText(value);
    }

    /** As Jackson's {@code asText}: containers have no text. */
    private static String asText(Object value) {
        if (value == null) {
            return "null";
        }
        return value instanceof Map<?, ?> || value instanceof List<?> ? "" : String.valueOf(value);
    }

    /** As Jackson's {@code asBoolean(false)}: true, the text "true", or a non-zero number. */
    private static boolean bool(Map<?, ?> json, String field) {
        Object value = json.get(field);
        if (value instanceof Boolean bool) {
            return bool;
        }
        if (value instanceof String text) {
            return "true".equals(text.trim());
        }
        return value instanceof Number number && number.intValue() != 0;
    }

    /** The members whose values are strings; a header of another type is not one a front sends. */
    private static Map<String, String> textFields(Map<?, ?> object) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (Map.Entry<?, ?> field : object.entrySet()) {
            if (field.getValue() instanceof String text) {
                fields.put(String.valueOf(field.getKey()), text);
            }
        }
        return fields;
    }

    private static byte[] body(String body, boolean base64) {
        if (body == null) {
            return new byte[0];
        }
        if (base64) {
            try {
                return Base64.getDecoder().decode(body);
            } catch (IllegalArgumentException e) {
                // Only a broken front sends this; treat it as an unreadable body, which the API answers with a 400.
                return new byte[] {(byte) 0xff};
            }
        }
        return body.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The response in the shape the event's front expects. Both shapes carry status, headers and a text body, and
     * that is all the function sets, so one writer serves both.
     */
    public static byte[] write(Event event, HttpResponse response) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("statusCode", response.status());
        out.put("headers", new LinkedHashMap<>(response.headers()));
        out.put("body", response.body());
        out.put("isBase64Encoded", false);
        return JsonValues.writeBytes(out);
    }

    /**
     * The function's answer as the front turns it into an HTTP response: status, headers and the body, decoded when
     * base64. Both payload formats' responses share these fields. For the callers that invoke the handler themselves:
     * SnapStart priming, the local server, the tests.
     */
    public static HttpResponse response(byte[] json) {
        Map<?, ?> response;
        try {
            response = JsonValues.read(json) instanceof Map<?, ?> object ? object : Map.of();
        } catch (IOException e) {
            throw new UncheckedIOException("not an API Gateway response", e);
        }
        int status = response.get("statusCode") instanceof Number number ? number.intValue() : 0;
        String body = response.get("body") == null ? "" : asText(response.get("body"));
        if (bool(response, "isBase64Encoded")) {
            body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
        }
        return new HttpResponse(status, textFields(object(response, "headers")), body);
    }
}
