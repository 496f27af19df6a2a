package dev.tokenissuer.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tokenissuer.http.HttpResponse;
import dev.tokenissuer.http.JsonValues;
import dev.tokenissuer.lambda.ApiGatewayEvents;

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
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Serves the API over plain HTTP by doing what API Gateway's HTTP API does: each request becomes a payload format
 * 2.0 event (written here as API Gateway writes it), the Lambda handler answers it, and the event response becomes
 * the HTTP response. So {@code make run}
 * exercises the same handler code, event parsing included, that runs in Lambda.
 */
public final class LocalServer implements AutoCloseable {

    /** API Gateway's own limit on a request body. */
    private static final int MAX_BODY_BYTES = 10 * 1024 * 1024;
    /**
     * Seconds a client has to send its whole request, and to take the whole response, before the JDK's server closes
     * the connection (API Gateway allows 30 s for everything; a local client needs far less). Without them, a worker
     * waits forever on a client that stops sending.
     */
    static final int REQUEST_SECONDS = 5;
    static final int RESPONSE_SECONDS = 5;
    /**
     * Workers: the JDK server reads each request on a worker, so each stalled client holds one until its time is up.
     * Idle workers end after a while, so the count costs nothing while the server is quiet.
     */
    static final int WORKERS = 64;

    static {
        // The JDK's HttpServer takes its timeouts from these properties only, when its first instance is created;
        // an operator's own -D settings win.
        setIfAbsent("sun.net.httpserver.maxReqTime", Integer.toString(REQUEST_SECONDS));
        setIfAbsent("sun.net.httpserver.maxRspTime", Integer.toString(RESPONSE_SECONDS));
    }
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);

    private final HttpServer server;
    private final ExecutorService executor;
    private final RequestStreamHandler handler;

    public LocalServer(RequestStreamHandler handler, String host, int port) throws IOException {
        this.handler = handler;
        this.server = HttpServer.create(new InetSocketAddress(host, port), 64);
        ThreadPoolExecutor workers = new ThreadPoolExecutor(WORKERS, WORKERS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>());
        workers.allowCoreThreadTimeOut(true);
        this.executor = workers;
        server.setExecutor(executor);
        server.createContext("/", this::exchange);
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    /**
     * What {@code tokenctl serve} runs: {@code handler} served on {@code host:port} until the JVM shuts down (Ctrl-C,
     * SIGTERM), which ends the process; this thread only waits for it. {@code started} hears the URL once it listens.
     */
    public static void serveUntilShutdown(RequestStreamHandler handler, String host, int port,
                                          Consumer<URI> started) throws IOException, InterruptedException {
        LocalServer server = new LocalServer(handler, host, port);
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        started.accept(URI.create("http://" + host + ":" + server.port()));
        new CountDownLatch(1).await();
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
            HttpResponse response = ApiGatewayEvents.response(out.toByteArray());
            send(exchange, response.status(), response.headers(), response.bodyBytes());
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
    static byte[] toEvent(HttpExchange exchange, byte[] body) {
        String path = rawPath(exchange.getRequestURI());
        String query = exchange.getRequestURI().getRawQuery();
        // An HTTP API lower-cases header names and joins a repeated header's values with commas.
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> values.forEach(value -> headers.merge(
                name.toLowerCase(Locale.ROOT), value, (first, next) -> first + "," + next)));
        // API Gateway tells the function how the client connected (here plain HTTP on this port), in place of
        // whatever the client claimed.
        headers.put("x-forwarded-proto", "http");
        headers.put("x-forwarded-port", Integer.toString(exchange.getLocalAddress().getPort()));
        Map<String, Object> http = new LinkedHashMap<>();
        http.put("method", exchange.getRequestMethod());
        http.put("path", path);
        http.put("protocol", exchange.getProtocol());
        http.put("sourceIp", exchange.getRemoteAddress().getAddress().getHostAddress());
        String userAgent = exchange.getRequestHeaders().getFirst("User-Agent");
        if (userAgent != null) {
            http.put("userAgent", userAgent);
        }
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("accountId", "000000000000");
        context.put("apiId", "local");
        context.put("domainName", exchange.getLocalAddress().getHostString());
        context.put("requestId", UUID.randomUUID().toString());
        context.put("routeKey", "$default");
        context.put("stage", "$default");
        context.put("time", REQUEST_TIME.format(now));
        context.put("timeEpoch", now.toInstant().toEpochMilli());
        context.put("http", http);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "2.0");
        event.put("routeKey", "$default");
        event.put("rawPath", path);
        event.put("rawQueryString", query == null ? "" : query);
        event.put("headers", headers);
        event.put("requestContext", context);
        if (body.length > 0) {
            // As an HTTP API sends a body it does not consider text: base64 (always valid, and exact).
            event.put("body", Base64.getEncoder().encodeToString(body));
            event.put("isBase64Encoded", true);
        } else {
            event.put("isBase64Encoded", false);
        }
        return JsonValues.writeBytes(event);
    }
}
