package dev.tokenissuer.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves the API over plain HTTP by doing what API Gateway's HTTP API does: each request becomes a payload format
 * 2.0 event, the Lambda handler answers it, and the event response becomes the HTTP response. So {@code make run}
 * exercises the same handler code, event parsing included, that runs in Lambda.
 */
public final class LocalServer implements AutoCloseable {

    /** API Gateway's own limit on a request body. */
    private static final int MAX_BODY_BYTES = 10 * 1024 * 1024;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);

    private final HttpServer server;
    private final ExecutorService executor;
    private final RequestStreamHandler handler;

    public LocalServer(RequestStreamHandler handler, String host, int port) throws IOException {
        this.handler = handler;
        this.server = HttpServer.create(new InetSocketAddress(host, port), 64);
        this.executor = Executors.newFixedThreadPool(8);
        server.setExecutor(executor);
        server.createContext("/", this::exchange);
    }

    public void start() {
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void exchange(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = readBody(exchange.getRequestBody());
            if (body == null) {
                send(exchange, 413, Map.of("Content-Type", "application/json"),
                        "{\"message\":\"Request Entity Too Large\"}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(toEvent(exchange, body)), out, new LocalLambdaContext());
            JsonNode response = MAPPER.readTree(out.toByteArray());
            byte[] responseBody = response.path("isBase64Encoded").asBoolean(false)
                    ? Base64.getDecoder().decode(response.path("body").asText(""))
                    : response.path("body").asText("").getBytes(StandardCharsets.UTF_8);
            Map<String, String> headers = new java.util.LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> header : response.path("headers").properties()) {
                headers.put(header.getKey(), header.getValue().asText());
            }
            send(exchange, response.path("statusCode").asInt(500), headers, responseBody);
        } catch (RuntimeException e) {
            // API Gateway's answer when the integration fails.
            send(exchange, 500, Map.of("Content-Type", "application/json"),
                    "{\"message\":\"Internal Server Error\"}".getBytes(StandardCharsets.UTF_8));
        }
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
        return body.length > MAX_BODY_BYTES ? null : body;
    }

    private static void send(HttpExchange exchange, int status, Map<String, String> headers, byte[] body)
            throws IOException {
        headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /**
     * The path as the client sent it. {@link URI#getRawPath()} would read {@code //.well-known/jwks.json} (Frontier's
     * middleware's URL) as a network-path reference, host {@code .well-known}, path {@code /jwks.json}.
     */
    static String rawPath(URI target) {
        String text = target.toString();
        if (!text.startsWith("/")) {
            return target.getRawPath();
        }
        int end = text.indexOf('?');
        return end < 0 ? text : text.substring(0, end);
    }

    /** The payload format 2.0 event API Gateway's HTTP API would send for this request. */
    static byte[] toEvent(HttpExchange exchange, byte[] body) throws IOException {
        String method = exchange.getRequestMethod();
        String path = rawPath(exchange.getRequestURI());
        String query = exchange.getRequestURI().getRawQuery();
        ObjectNode event = MAPPER.createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", "$default");
        event.put("rawPath", path);
        event.put("rawQueryString", query == null ? "" : query);
        ObjectNode headers = event.putObject("headers");
        for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
            // HTTP APIs lower-case header names and join repeated headers with commas.
            headers.put(header.getKey().toLowerCase(Locale.ROOT), String.join(",", header.getValue()));
        }
        // API Gateway tells the function how the client connected; here that is plain HTTP on this port.
        headers.put("x-forwarded-proto", "http");
        headers.put("x-forwarded-port", Integer.toString(exchange.getLocalAddress().getPort()));
        ObjectNode context = event.putObject("requestContext");
        context.put("accountId", "000000000000");
        context.put("apiId", "local");
        context.put("domainName", exchange.getLocalAddress().getHostString());
        context.put("requestId", UUID.randomUUID().toString());
        context.put("routeKey", "$default");
        context.put("stage", "$default");
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        context.put("time", REQUEST_TIME.format(now));
        context.put("timeEpoch", now.toInstant().toEpochMilli());
        ObjectNode http = context.putObject("http");
        http.put("method", method);
        http.put("path", path);
        http.put("protocol", exchange.getProtocol());
        http.put("sourceIp", exchange.getRemoteAddress().getAddress().getHostAddress());
        http.put("userAgent", exchange.getRequestHeaders().getFirst("User-Agent"));
        if (body.length > 0) {
            // HTTP APIs base64-encode bodies they do not consider text; always doing so is valid and exact.
            event.put("body", Base64.getEncoder().encodeToString(body));
            event.put("isBase64Encoded", true);
        } else {
            event.put("isBase64Encoded", false);
        }
        return MAPPER.writeValueAsBytes(event);
    }
}
