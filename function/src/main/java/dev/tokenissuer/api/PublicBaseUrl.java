package dev.tokenissuer.api;

import dev.tokenissuer.http.HttpRequest;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * The API's public base URL, from which its advertised URLs derive: {@code PUBLIC_BASE_URL} when configured, else
 * the URL the client used as API Gateway saw it ({@code Host}, and {@code X-Forwarded-Proto}, which API Gateway
 * always sets).
 */
public final class PublicBaseUrl {

    /** What a request without a well-formed single {@code Host} gets where the URL must come from it. */
    static final ApiError NO_VALID_HOST = ApiError.invalidRequest("the request has no valid Host header");

    private PublicBaseUrl() {
    }

    /**
     * @return the base URL without a trailing slash; empty when nothing is configured and the request carries no
     *         usable {@code Host}
     */
    public static Optional<String> of(HttpRequest request, Optional<URI> configured) {
        if (configured.isPresent()) {
            return Optional.of(configured.get().toString());
        }
        Optional<String> host = request.header("Host")
                .map(value -> value.trim().toLowerCase(Locale.ROOT))
                .filter(PublicBaseUrl::isHost);
        if (host.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(scheme(request) + "://" + host.get());
    }

    /**
     * The scheme the client used: the <em>last</em> {@code X-Forwarded-Proto} value. A front that replaces the header
     * (API Gateway's REST APIs, by users' reports, set it to the protocol the client used with API Gateway, whatever
     * the client sent) leaves one value, which is the last; a front that appends, as proxies do and as AWS documents
     * for HTTP APIs' {@code X-Forwarded-*} headers, puts its own after whatever the client sent. The first value is
     * the only one a client chooses, so it is never read; the last is written by the hop nearest the function, the
     * only one that can be trusted without knowing the front (docs/api.md, Discovery). Several values arrive as
     * separate headers (merged with commas by {@link HttpRequest}) or as one comma-separated header: both read the
     * same. A front without X-Forwarded-Proto is not API Gateway; https is the safe guess for an advertised URL, as
     * for a value that is neither http nor https.
     */
    static String scheme(HttpRequest request) {
        return request.header("X-Forwarded-Proto")
                .map(value -> value.substring(value.lastIndexOf(',') + 1).trim().toLowerCase(Locale.ROOT))
                .filter(value -> value.equals("http") || value.equals("https"))
                .orElse("https");
    }

    /**
     * A DNS name or a bracketed IP literal, with an optional port: nothing that could smuggle a path or a second URL.
     * Checked in one pass: the regular expression it replaces recursed once per label and overflowed the stack on a
     * {@code Host} of a few thousand dots.
     */
    static boolean isHost(String value) {
        String host = value;
        int portStart = value.startsWith("[") ? value.indexOf(']') + 1 : value.lastIndexOf(':');
        if (portStart > 0 && portStart < value.length()) {
            if (value.charAt(portStart) != ':' || !isPort(value.substring(portStart + 1))) {
                return false;
            }
            host = value.substring(0, portStart);
        }
        if (host.startsWith("[")) {
            return host.length() > 2 && host.endsWith("]")
                    && onlyOf(host.substring(1, host.length() - 1), "0123456789abcdef:.");
        }
        int labelStart = 0;
        for (int i = 0; i <= host.length(); i++) {
            if (i == host.length() || host.charAt(i) == '.') {
                if (!isLabel(host.substring(labelStart, i))) {
                    return false;
                }
                labelStart = i + 1;
            }
        }
        return true;
    }

    private static boolean isLabel(String label) {
        return !label.isEmpty() && label.length() <= 63 && !label.startsWith("-") && !label.endsWith("-")
                && onlyOf(label, "abcdefghijklmnopqrstuvwxyz0123456789-");
    }

    private static boolean isPort(String port) {
        return !port.isEmpty() && port.length() <= 5 && onlyOf(port, "0123456789");
    }

    private static boolean onlyOf(String text, String allowed) {
        for (int i = 0; i < text.length(); i++) {
            if (allowed.indexOf(text.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }
}
