package dev.tokenissuer.testing;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Objects;

/**
 * API Gateway events for tests, built with {@code aws-lambda-java-events}' types and written with Jackson's data
 * binding: shapes the function's own codec ({@code ApiGatewayEvents}) did not write, so a test of it reads what the
 * library models.
 */
public final class ApiGatewayEventBuilders {

    /** No null fields (cookies, multi-value maps), as API Gateway sends them. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private ApiGatewayEventBuilders() {
    }

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

}
