package dev.tokenissuer.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** An HTTP response: status, headers and a UTF-8 text body (every answer of this API is JSON). */
public record HttpResponse(int status, Map<String, String> headers, String body) {

    public HttpResponse {
        headers = Map.copyOf(headers);
        body = body == null ? "" : body;
    }

    public static HttpResponse json(int status, String json, Map<String, String> extraHeaders) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.putAll(extraHeaders);
        return new HttpResponse(status, headers, json);
    }

    public byte[] bodyBytes() {
        return body.getBytes(StandardCharsets.UTF_8);
    }
}
