package dev.tokenissuer.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tokenissuer.http.HttpRequest;
import dev.tokenissuer.http.RequestContext;
import dev.tokenissuer.http.HttpResponse;
import dev.tokenissuer.http.JsonValues;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
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
 * <p>The handler stays a {@code RequestStreamHandler}: a typed {@code RequestHandler<APIGatewayV2HTTPEvent, ...>}
 * would bind one payload format (and drop a REST API event's method, path and repeated headers), and the runtime's
 * event serialization needs Joda-Time on the classpath. What it reads and writes on the way in and out is mapped
 * here by hand over Jackson's tree, not with Jackson's bean (de)serializers: those cost a cold start's first event
 * 60-75 ms more (docs/performance.md, "Event model"). The events built for the other callers, which no cold start
 * waits for, are written with them ({@link #json}); the tests hold the two mappings to each other.
 */
public final class ApiGatewayEvents {

    /**
     * Jackson's data binding, for the events built here and the answers read back (the local server, priming, the
     * tests): in a holder, so that the handler's own path, which streams, never loads it.
     */
    private static final class Binding {
        /** No null fields (cookies, multi-value maps), as API Gateway sends them. */
        static final ObjectMapper MAPPER = JsonMapper.builder()
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .build();
    }

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
     * @throws IOException              the input is not JSON
     * @throws IllegalArgumentException the input is JSON but not an object
     */
    public static Event read(InputStream input) throws IOException {
        if (!(JsonValues.read(input) instanceof Map<?, ?> event)) {
            throw new IllegalArgumentException("the event is not a JSON object");
        }
        boolean v1 = event.containsKey("httpMethod") || "1.0".equals(text(event, "version"));
        return v1 ? read(restApiEvent(event)) : read(httpApiEvent(event));
    }

    public static Event read(APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPEvent.RequestContext context = event.getRequestContext();
        APIGatewayV2HTTPEvent.RequestContext.Http http = context == null ? null : context.getHttp();
        String method = http == null ? null : http.getMethod();
        String path = event.getRawPath() != null ? event.getRawPath() : http == null ? null : http.getPath();
        // HTTP APIs join repeated headers with commas in `headers`; cookies travel separately and are not needed.
        HttpRequest request = new HttpRequest(method, path, event.getHeaders(),
                body(event.getBody(), event.getIsBase64Encoded()));
        return new Event(request.withContext(new RequestContext(context == null ? null : context.getRequestId(), null,
                http == null ? null : http.getSourceIp(),
                userAgent(http == null ? null : http.getUserAgent(), request))), Format.HTTP_API_V2);
    }

    private static String userAgent(String reported, HttpRequest request) {
        return reported != null ? reported : request.header("User-Agent").orElse(null);
    }

    public static Event read(APIGatewayProxyRequestEvent event) {
        // REST APIs keep only the last value of a repeated header in `headers`; all of them are in
        // `multiValueHeaders`, which is what a repeated Authorization header must be judged on.
        Map<String, String> headers = event.getHeaders() == null ? new HashMap<>() : new HashMap<>(event.getHeaders());
        if (event.getMultiValueHeaders() != null) {
            event.getMultiValueHeaders().forEach((name, values) -> {
                if (values != null && !values.isEmpty()) {
                    headers.remove(name);
                    headers.put(name, String.join(",", values));
                }
            });
        }
        HttpRequest request = new HttpRequest(event.getHttpMethod(), event.getPath(), headers,
                body(event.getBody(), Boolean.TRUE.equals(event.getIsBase64Encoded())));
        APIGatewayProxyRequestEvent.ProxyRequestContext context = event.getRequestContext();
        APIGatewayProxyRequestEvent.RequestIdentity identity = context == null ? null : context.getIdentity();
        return new Event(request.withContext(new RequestContext(context == null ? null : context.getRequestId(), null,
                identity == null ? null : identity.getSourceIp(),
                userAgent(identity == null ? null : identity.getUserAgent(), request))), Format.REST_API_V1);
    }

    /** The fields of a payload 2.0 event that the function reads; one of another type than a front sends is absent. */
    private static APIGatewayV2HTTPEvent httpApiEvent(Map<?, ?> json) {
        Map<?, ?> context = object(json, "requestContext");
        Map<?, ?> httpContext = object(context, "http");
        APIGatewayV2HTTPEvent.RequestContext.Http http = new APIGatewayV2HTTPEvent.RequestContext.Http();
        http.setMethod(text(httpContext, "method"));
        http.setPath(text(httpContext, "path"));
        http.setSourceIp(text(httpContext, "sourceIp"));
        http.setUserAgent(text(httpContext, "userAgent"));
        APIGatewayV2HTTPEvent.RequestContext requestContext = new APIGatewayV2HTTPEvent.RequestContext();
        requestContext.setDomainName(text(context, "domainName"));
        requestContext.setRequestId(text(context, "requestId"));
        requestContext.setHttp(http);
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setVersion(text(json, "version"));
        event.setRawPath(text(json, "rawPath"));
        event.setRawQueryString(text(json, "rawQueryString"));
        event.setHeaders(textFields(object(json, "headers")));
        event.setBody(text(json, "body"));
        event.setIsBase64Encoded(bool(json, "isBase64Encoded"));
        event.setRequestContext(requestContext);
        return event;
    }

    /** The fields of a payload 1.0 event that the function reads. */
    private static APIGatewayProxyRequestEvent restApiEvent(Map<?, ?> json) {
        APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent();
        event.setVersion(text(json, "version"));
        event.setHttpMethod(text(json, "httpMethod"));
        event.setPath(text(json, "path"));
        event.setHeaders(textFields(object(json, "headers")));
        Map<String, List<String>> multiValueHeaders = new LinkedHashMap<>();
        for (Map.Entry<?, ?> header : object(json, "multiValueHeaders").entrySet()) {
            if (header.getValue() instanceof List<?> values) {
                List<String> texts = new ArrayList<>();
                values.forEach(value -> texts.add(asText(value)));
                multiValueHeaders.put(String.valueOf(header.getKey()), texts);
            }
        }
        event.setMultiValueHeaders(multiValueHeaders);
        Map<?, ?> context = object(json, "requestContext");
        Map<?, ?> identityContext = object(context, "identity");
        APIGatewayProxyRequestEvent.RequestIdentity identity = new APIGatewayProxyRequestEvent.RequestIdentity();
        identity.setSourceIp(text(identityContext, "sourceIp"));
        identity.setUserAgent(text(identityContext, "userAgent"));
        APIGatewayProxyRequestEvent.ProxyRequestContext requestContext =
                new APIGatewayProxyRequestEvent.ProxyRequestContext();
        requestContext.setRequestId(text(context, "requestId"));
        requestContext.setIdentity(identity);
        event.setRequestContext(requestContext);
        event.setBody(text(json, "body"));
        event.setIsBase64Encoded(bool(json, "isBase64Encoded"));
        return event;
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

    /** The response in the shape the event's front expects (both carry status, headers and a text body). */
    public static byte[] write(Event event, HttpResponse response) throws IOException {
        if (event.format() == Format.REST_API_V1) {
            APIGatewayProxyResponseEvent v1 = new APIGatewayProxyResponseEvent();
            v1.setStatusCode(response.status());
            v1.setHeaders(response.headers());
            v1.setBody(response.body());
            v1.setIsBase64Encoded(false);
            return JsonValues.writeBytes(
                    responseJson(v1.getStatusCode(), v1.getHeaders(), v1.getBody(), v1.getIsBase64Encoded()));
        }
        APIGatewayV2HTTPResponse v2 = new APIGatewayV2HTTPResponse();
        v2.setStatusCode(response.status());
        v2.setHeaders(response.headers());
        v2.setBody(response.body());
        v2.setIsBase64Encoded(false);
        return JsonValues.writeBytes(
                responseJson(v2.getStatusCode(), v2.getHeaders(), v2.getBody(), v2.getIsBase64Encoded()));
    }

    /** The fields both response types share, and all that the function sets. */
    private static Map<String, Object> responseJson(int status, Map<String, String> headers, String body,
                                                    boolean base64) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("statusCode", status);
        out.put("headers", new LinkedHashMap<>(headers));
        out.put("body", body);
        out.put("isBase64Encoded", base64);
        return out;
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
            return Binding.MAPPER.writeValueAsBytes(Objects.requireNonNull(event));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The function's answer as the front turns it into an HTTP response: status, headers and the body, decoded when
     * base64. Both payload formats' responses share these fields, so one type reads them.
     */
    public static HttpResponse response(byte[] json) {
        Map<?, ?> response;
        try {
            response = JsonValues.read(json) instanceof Map<?, ?> object ? object : Map.of();
        } catch (IOException e) {
            throw new UncheckedIOException("not an API Gateway response", e);
        }
        APIGatewayV2HTTPResponse read = new APIGatewayV2HTTPResponse();
        read.setStatusCode(response.get("statusCode") instanceof Number status ? status.intValue() : 0);
        read.setHeaders(textFields(object(response, "headers")));
        read.setBody(response.get("body") == null ? "" : asText(response.get("body")));
        read.setIsBase64Encoded(bool(response, "isBase64Encoded"));
        String body = read.getIsBase64Encoded()
                ? new String(Base64.getDecoder().decode(read.getBody()), StandardCharsets.UTF_8) : read.getBody();
        return new HttpResponse(read.getStatusCode(), read.getHeaders(), body);
    }
}
