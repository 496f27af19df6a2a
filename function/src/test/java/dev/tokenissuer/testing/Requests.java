package dev.tokenissuer.testing;

import dev.tokenissuer.http.HttpRequest;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds {@link HttpRequest}s for tests: {@code Requests.post(path).contentType(...).body(...).build()}. */
public final class Requests {

    private final String method;
    private final String path;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private byte[] body = new byte[0];

    private Requests(String method, String path) {
        this.method = method;
        this.path = path;
    }

    public static Requests post(String path) {
        return new Requests("POST", path);
    }

    public static Requests get(String path) {
        return new Requests("GET", path);
    }

    public static Requests request(String method, String path) {
        return new Requests(method, path);
    }

    public Requests header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public Requests contentType(String value) {
        return header("Content-Type", value);
    }

    public Requests json(String body) {
        return contentType("application/json").body(body);
    }

    public Requests form(String body) {
        return contentType("application/x-www-form-urlencoded").body(body);
    }

    public Requests body(String text) {
        return body(text.getBytes(StandardCharsets.UTF_8));
    }

    public Requests body(byte[] bytes) {
        this.body = bytes;
        return this;
    }

    public HttpRequest build() {
        return new HttpRequest(method, path, headers, body);
    }
}
