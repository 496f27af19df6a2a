package dev.tokenissuer.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tokenissuer.http.HttpRequest;
import dev.tokenissuer.http.HttpResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The one place that knows the API Gateway event shapes, as {@code aws-lambda-java-events} types: it reads the events
 * the function is invoked with and writes its answers (the handler), and builds the events that the local server,
 * SnapStart priming and the tests send. Three fronts can invoke the function: an HTTP API (payload format 2.0, the
 * template's), a Lambda function URL (the same format, {@link APIGatewayV2HTTPEvent}) and a REST API proxy
 * integration (payload format 1.0, {@link APIGatewayProxyRequestEvent}); each is answered in its own response type.
 *
 * <p>The handler stays a {@code RequestStreamHandler} and maps the stream with this class's own Jackson, configured
 * once: a typed {@code RequestHandler<APIGatewayV2HTTPEvent, ...>} would bind one payload format and drop a REST API
 * event's method, path and repeated headers.
 */
public final class ApiGatewayEvents {

    /** API Gateway adds fields over time: ignore what is unknown; write no null fields (cookies, multi-value maps). */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

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

    // ---- the handler's side: events in, responses out -------------------------------------------------------------

    /**
     * @throws IOException              the input is not JSON, or a field has a type no front sends
     * @throws IllegalArgumentException the input is JSON but not an object
     */
    public static Event read(InputStream input) throws IOException {
        JsonNode event = MAPPER.readTree(input);
        if (event == null || !event.isObject()) {
            throw new IllegalArgumentException("the event is not a JSON object");
        }
        boolean v1 = event.has("httpMethod") || "1.0".equals(event.path("version").asText());
        return v1 ? read(MAPPER.treeToValue(event, APIGatewayProxyRequestEvent.class))
                : read(MAPPER.treeToValue(event, APIGatewayV2HTTPEvent.class));
    }

    public static Event read(APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPEvent.RequestContext context = event.getRequestContext();
        APIGatewayV2HTTPEvent.RequestContext.Http http = context == null ? null : context.getHttp();
        String method = http == null ? null : http.getMethod();
        String path = event.getRawPath() != null ? event.getRawPath() : http == null ? null : http.getPath();
        // HTTP APIs join repeated headers with commas in `headers`; cookies travel separately and are not needed.
        return new Event(new HttpRequest(method, path, event.getHeaders(),
                body(event.getBody(), event.getIsBase64Encoded())), Format.HTTP_API_V2);
    }

    public static Event read(APIGatewayProxyRequestEvent event) {
        // REST APIs keep only the last value of a repeated header in `headers`; all of them are in
        // `multiValueHeaders`, which is what a repeated Authorization header must be judged on.
        Map<String, String> headers = event.getHeaders() == null ? new HashMap<>() : new HashMap<>(event.getHeaders());
        if (event.getMultiValueHeaders() != null) {
            event.getMultiValueHeaders().forEach((name, values) -> {
                if (values != null && !values.isEmpty()) {
                    headers.remove(name);
                    headers.put(name, String.join(",", values.stream().map(String::valueOf).toList()));
                }
            });
        }
        return new Event(new HttpRequest(event.getHttpMethod(), event.getPath(), headers,
                body(event.getBody(), Boolean.TRUE.equals(event.getIsBase64Encoded()))), Format.REST_API_V1);
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

    /** The response in the shape the event's front expects (both carry status, headers and a text body). */
    public static byte[] write(Event event, HttpResponse response) throws IOException {
        Object out;
        if (event.format() == Format.REST_API_V1) {
            APIGatewayProxyResponseEvent v1 = new APIGatewayProxyResponseEvent();
            v1.setStatusCode(response.status());
            v1.setHeaders(response.headers());
            v1.setBody(response.body());
            v1.setIsBase64Encoded(false);
            out = v1;
        } else {
            APIGatewayV2HTTPResponse v2 = new APIGatewayV2HTTPResponse();
            v2.setStatusCode(response.status());
            v2.setHeaders(response.headers());
            v2.setBody(response.body());
            v2.setIsBase64Encoded(false);
            out = v2;
        }
        return MAPPER.writeValueAsBytes(out);
    }

    // ---- the callers' side: building events, reading responses ----------------------------------------------------

    /**
     * An HTTP API (payload 2.0) event without headers or body, as API Gateway sends it for {@code method path}.
     *
     * @param domainName the API's domain ({@code *.execute-api.*}, or {@code *.lambda-url.*} for a function URL),
     *                   also sent as the {@code host} header; null for none
     */
    public static APIGatewayV2HTTPEvent httpApi(String method, String path, String domainName) {
        APIGatewayV2HTTPEvent.RequestContext.Http http = new APIGatewayV2HTTPEvent.RequestContext.Http();
        http.setMethod(method);
        http.setPath(path);
        APIGatewayV2HTTPEvent.RequestContext context = new APIGatewayV2HTTPEvent.RequestContext();
        context.setRouteKey("$default");
        context.setStage("$default");
        context.setDomainName(domainName);
        context.setHttp(http);
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setVersion("2.0");
        event.setRouteKey("$default");
        event.setRawPath(path);
        event.setRawQueryString("");
        event.setHeaders(new LinkedHashMap<>());
        event.setRequestContext(context);
        if (domainName != null) {
            header(event, "host", domainName);
        }
        return event;
    }

    /** Adds a header as an HTTP API does: the name lower-cased, a repeated header's values joined with commas. */
    public static APIGatewayV2HTTPEvent header(APIGatewayV2HTTPEvent event, String name, String value) {
        event.getHeaders().merge(name.toLowerCase(Locale.ROOT), value, (first, next) -> first + "," + next);
        return event;
    }

    /** A body as an HTTP API sends one it does not consider text: base64-encoded (always valid, and exact). */
    public static APIGatewayV2HTTPEvent base64Body(APIGatewayV2HTTPEvent event, byte[] body) {
        event.setBody(Base64.getEncoder().encodeToString(body));
        event.setIsBase64Encoded(true);
        return event;
    }

    /** A REST API proxy (payload 1.0) event without headers or body, from the {@code prod} stage. */
    public static APIGatewayProxyRequestEvent restApi(String method, String path) {
        APIGatewayProxyRequestEvent.ProxyRequestContext context = new APIGatewayProxyRequestEvent.ProxyRequestContext();
        context.setHttpMethod(method);
        context.setStage("prod");
        context.setResourcePath(path);
        context.setPath("/prod" + path);
        APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent();
        event.setResource(path);
        event.setPath(path);
        event.setHttpMethod(method);
        event.setHeaders(new LinkedHashMap<>());
        event.setMultiValueHeaders(new LinkedHashMap<>());
        event.setRequestContext(context);
        event.setIsBase64Encoded(false);
        return event;
    }

    /** Adds a header as a REST API does: every value in {@code multiValueHeaders}, the last one in {@code headers}. */
    public static APIGatewayProxyRequestEvent header(APIGatewayProxyRequestEvent event, String name, String value) {
        event.getHeaders().put(name, value);
        event.getMultiValueHeaders().computeIfAbsent(name, key -> new ArrayList<>()).add(value);
        return event;
    }

    /** An event as Lambda hands it to the function: JSON. */
    public static byte[] json(Object event) {
        try {
            return MAPPER.writeValueAsBytes(Objects.requireNonNull(event));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The function's answer as the front turns it into an HTTP response: status, headers and the body, decoded when
     * base64. Both payload formats' responses share these fields, so one type reads them.
     */
    public static HttpResponse response(byte[] json) {
        try {
            APIGatewayV2HTTPResponse response = MAPPER.readValue(json, APIGatewayV2HTTPResponse.class);
            Map<String, String> headers = new LinkedHashMap<>();
            if (response.getHeaders() != null) {
                response.getHeaders().forEach((name, value) -> headers.put(name, value == null ? "" : value));
            }
            String body = response.getBody() == null ? "" : response.getBody();
            if (response.getIsBase64Encoded()) {
                body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
            }
            return new HttpResponse(response.getStatusCode(), headers, body);
        } catch (IOException e) {
            throw new UncheckedIOException("not an API Gateway response", e);
        }
    }
}
