package dev.tokenissuer.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code scripts/fault_proxy.py} on a free loopback port in front of the AWS emulator: point an SDK client at
 * {@link #endpoint()} and its calls reach the emulator, except those a fault set here delays, resets or answers
 * with a throttling or internal error in the AWS JSON wire format. Faults match calls by {@code X-Amz-Target}
 * (e.g. {@code DynamoDB_20120810.PutItem}, {@code TrentService.Sign}, or {@code *}).
 */
public final class FaultProxy implements AutoCloseable {

    public static final String PUT_ITEM = "DynamoDB_20120810.PutItem";
    public static final String DELETE_ITEM = "DynamoDB_20120810.DeleteItem";
    public static final String KMS_SIGN = "TrentService.Sign";

    private final Process process;
    private final URI endpoint;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private FaultProxy(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /** A proxy in front of the emulator {@link AwsEmulator#endpoint()} names. */
    public static FaultProxy inFrontOfEmulator() {
        return start(AwsEmulator.endpoint());
    }

    public static FaultProxy start(URI upstream) {
        try {
            Process process = new ProcessBuilder("python3", script().toString(), "--upstream", upstream.toString(),
                    "--port", "0")
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            String first = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    return null;
                }
            }).get(20, TimeUnit.SECONDS);
            if (first == null || !first.startsWith("http://127.0.0.1:")) {
                process.destroy();
                throw new IllegalStateException("the fault proxy did not start: " + first);
            }
            return new FaultProxy(process, URI.create(first.trim()));
        } catch (Exception e) {
            throw new IllegalStateException("cannot start scripts/fault_proxy.py", e);
        }
    }

    /** Where SDK clients should send their calls. */
    public URI endpoint() {
        return endpoint;
    }

    /**
     * The next {@code times} calls to {@code target} reach the emulator (which does the work), but their response is
     * held for {@code delay}: a client with a shorter attempt timeout gives up on a call that succeeded.
     */
    public void delayAfterForwarding(String target, Duration delay, int times) {
        fault(target, "delay", "\"seconds\": " + delay.toMillis() / 1000.0 + ", \"after_forward\": true", times);
    }

    /** The next {@code times} calls to {@code target} wait {@code delay} before they reach the emulator. */
    public void delayBeforeForwarding(String target, Duration delay, int times) {
        fault(target, "delay", "\"seconds\": " + delay.toMillis() / 1000.0 + ", \"after_forward\": false", times);
    }

    /** The next {@code times} calls to {@code target} get a TCP reset, after the emulator did the work or before. */
    public void reset(String target, boolean afterForwarding, int times) {
        fault(target, "reset", "\"after_forward\": " + afterForwarding, times);
    }

    /** The next {@code times} calls to {@code target} are answered 400 ThrottlingException without reaching AWS. */
    public void throttle(String target, int times) {
        fault(target, "throttle", null, times);
    }

    /** Like {@link #throttle}, with another error type, e.g. DynamoDB's ProvisionedThroughputExceededException. */
    public void throttle(String target, String errorType, int times) {
        fault(target, "throttle", "\"error_type\": \"" + errorType + "\"", times);
    }

    /** The next {@code times} calls to {@code target} are answered 500 without reaching AWS. */
    public void error500(String target, int times) {
        fault(target, "error500", null, times);
    }

    /** Drops every fault and the log. */
    public void clear() {
        send(HttpRequest.newBuilder(endpoint.resolve("/__fault__")).DELETE(), 204);
    }

    /** Every call the proxy saw since the last {@link #clear()}: its target and what happened to it, in order. */
    public List<String> log() {
        return send(HttpRequest.newBuilder(endpoint.resolve("/__fault__/log")).GET(), 200).lines().toList();
    }

    /** The calls to {@code target} the proxy saw, retries included. */
    public long calls(String target) {
        return log().stream().filter(line -> line.startsWith(target + " ")).count();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void fault(String target, String action, String extra, int times) {
        String json = String.format(Locale.ROOT, "{\"target\": \"%s\", \"action\": \"%s\", \"times\": %d%s}",
                target, action, times, extra == null ? "" : ", " + extra);
        send(HttpRequest.newBuilder(endpoint.resolve("/__fault__"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), 204);
    }

    private String send(HttpRequest.Builder request, int expected) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new IllegalStateException("fault proxy answered " + response.statusCode() + ": "
                        + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("fault proxy unreachable at " + endpoint, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** scripts/fault_proxy.py, found from any module directory. */
    private static Path script() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("scripts").resolve("fault_proxy.py");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("scripts/fault_proxy.py not found above " + Path.of("").toAbsolutePath());
    }
}
