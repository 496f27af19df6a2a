package dev.tokenissuer.api;

import dev.tokenissuer.http.HttpRequest;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The API's public base URL, from which its advertised URLs derive: {@code PUBLIC_BASE_URL} when configured, else
 * the URL the client used as API Gateway saw it ({@code Host}, and {@code X-Forwarded-Proto}, which API Gateway
 * always sets).
 */
public final class PublicBaseUrl {

    /** A DNS name or an IP literal, with an optional port: nothing that could smuggle a path or a second URL. */
    private static final Pattern HOST = Pattern.compile(
            "(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*"
                    + "|\\[[0-9a-f:.]+])(?::[0-9]{1,5})?");

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
                .filter(value -> HOST.matcher(value).matches());
        if (host.isEmpty()) {
            return Optional.empty();
        }
        // A front without X-Forwarded-Proto is not API Gateway; https is the safe guess for an advertised URL.
        String scheme = request.header("X-Forwarded-Proto")
                .map(value -> value.split(",", -1)[0].trim().toLowerCase(Locale.ROOT))
                .filter(value -> value.equals("http") || value.equals("https"))
                .orElse("https");
        return Optional.of(scheme + "://" + host.get());
    }
}
