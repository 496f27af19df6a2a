package dev.tokenissuer.api;

import dev.tokenissuer.grant.OAuthException;
import dev.tokenissuer.http.HttpRequest;
import dev.tokenissuer.http.HttpResponse;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a JSON object per request to a stream (stdout in Lambda, which CloudWatch keeps). Failures are logged by
 * exception class and AWS error code, which identify the fault without copying any message that might quote input.
 */
public final class JsonLinesRequestLog implements RequestLog {

    /** Room for every registered HTTP method; a longer one is a client's invention, kept only as a prefix. */
    static final int MAX_METHOD_CHARS = 20;
    static final int MAX_PATH_CHARS = 200;

    private final PrintStream out;

    public JsonLinesRequestLog(PrintStream out) {
        this.out = out;
    }

    @Override
    public void record(HttpRequest request, HttpResponse response, Throwable failure, long millis) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("level", response.status() >= 500 ? "ERROR" : "INFO");
        // Every field taken from the request is bounded, so a client cannot make a line (and the bill) large.
        line.put("method", bounded(request.method(), MAX_METHOD_CHARS));
        line.put("path", bounded(request.path(), MAX_PATH_CHARS));
        line.put("status", response.status());
        line.put("millis", millis);
        if (failure != null && !(failure instanceof ApiException) && !(failure instanceof OAuthException)) {
            line.put("fault", fault(failure));
        }
        out.println(Json.write(line));
    }

    private static String bounded(String value, int max) {
        return value.length() > max ? value.substring(0, max) : value;
    }

    /** The exception classes of a failure and its causes, with AWS error codes: no message, which may quote input. */
    static String fault(Throwable failure) {
        StringBuilder causes = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            causes.append(causes.length() == 0 ? "" : " <- ").append(cause.getClass().getName());
            if (cause instanceof software.amazon.awssdk.awscore.exception.AwsServiceException service
                    && service.awsErrorDetails() != null) {
                causes.append('(').append(service.awsErrorDetails().errorCode()).append(')');
            }
        }
        return causes.toString();
    }
}
