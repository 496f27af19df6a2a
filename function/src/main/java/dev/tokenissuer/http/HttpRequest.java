package dev.tokenissuer.http;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An HTTP request as the API sees it, whichever front (API Gateway, a function URL, the local server) carried it.
 *
 * @param method the HTTP method exactly as sent: methods are case-sensitive (RFC 9110 §9.1), so {@code post} is not
 *               {@code POST} (an unknown method, 405 on every route), and a DPoP proof's {@code htm} is compared
 *               with it as sent
 * @param path   the request path without query string, repeated slashes collapsed into one
 * @param headers header values by name; names are matched case-insensitively
 * @param body   the decoded body, empty when there is none
 * @param context what the front and the runtime tell of the request (ids, client address), for the audit line
 */
public record HttpRequest(String method, String path, Map<String, String> headers, byte[] body,
                          RequestContext context) {

    /** A request with no context (tests, a front that tells nothing). */
    public HttpRequest(String method, String path, Map<String, String> headers, byte[] body) {
        this(method, path, headers, body, RequestContext.none());
    }

    public HttpRequest {
        method = method == null ? "" : method;
        path = path == null ? "" : collapseSlashes(path);
        TreeMap<String, String> caseInsensitive = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            headers.forEach((name, value) -> {
                if (name != null && value != null) {
                    caseInsensitive.merge(name, value, (a, b) -> a + "," + b);
                }
            });
        }
        headers = java.util.Collections.unmodifiableMap(caseInsensitive);
        body = body == null ? new byte[0] : body;
        context = context == null ? RequestContext.none() : context;
    }

    public HttpRequest withContext(RequestContext newContext) {
        return new HttpRequest(method, path, headers, body, newContext);
    }

    /**
     * {@code //a///b} becomes {@code /a/b}. Frontier's Go middleware asks for {@code <host>/ + /.well-known/jwks.json}
     * and Go's own server forgives it; so does every front here, because API Gateway events and the local server both
     * make their request through this constructor. Nothing else is normalized: the path stays raw, so a
     * percent-encoded slash or dot is still a different (unknown) path.
     */
    static String collapseSlashes(String path) {
        return path.indexOf("//") < 0 ? path : path.replaceAll("/{2,}", "/");
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name));
    }
}
