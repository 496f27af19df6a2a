package dev.tokenissuer.grant.exchange;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;

/**
 * Outbound HTTP for the token exchange (STS, OIDC discovery and JWKS), over the SDK's HTTP client that the function
 * already has (URLConnection: no redirects followed, no new dependency, no classes of java.net.http to load). Each
 * call is bounded: connect and read timeouts come from the client, and a whole answer must arrive within
 * {@code deadline} and {@code maxBytes}; past either it is aborted. Every failure to get an answer is an
 * {@link SdkClientException}, which the API answers as an unavailable dependency (503).
 */
final class BoundedHttp {

    /** An answer, read whole. */
    record Answer(int status, Optional<String> contentType, byte[] body) {
    }

    private final SdkHttpClient client;
    private final Duration deadline;

    BoundedHttp(SdkHttpClient client, Duration deadline) {
        this.client = client;
        this.deadline = deadline;
    }

    Answer call(SdkHttpFullRequest request, int maxBytes) {
        long until = System.nanoTime() + deadline.toNanos();
        ExecutableHttpRequest call = client.prepareRequest(HttpExecuteRequest.builder()
                .request(request)
                .contentStreamProvider(request.contentStreamProvider().orElse(null))
                .build());
        try {
            HttpExecuteResponse response = call.call();
            Optional<String> contentType = response.httpResponse().firstMatchingHeader("Content-Type");
            byte[] body = response.responseBody().map(stream -> read(stream, maxBytes, until, call))
                    .orElse(new byte[0]);
            return new Answer(response.httpResponse().statusCode(), contentType, body);
        } catch (IOException e) {
            throw SdkClientException.create("no answer from " + request.host(), e);
        }
    }

    private static byte[] read(AbortableInputStream stream, int maxBytes, long until, ExecutableHttpRequest call) {
        try (InputStream in = stream) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
                if (out.size() > maxBytes) {
                    call.abort();
                    throw SdkClientException.create("answer larger than " + maxBytes + " bytes");
                }
                if (System.nanoTime() > until) {
                    call.abort();
                    throw SdkClientException.create("answer took longer than the deadline");
                }
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw SdkClientException.create("answer broken off", e);
        }
    }
}
