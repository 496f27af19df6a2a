package dev.tokenissuer.grant.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The signing keys of registered OIDC issuers: found through the issuer's discovery document
 * ({@code ISSUER/.well-known/openid-configuration}, whose {@code issuer} must be the issuer itself) and its
 * {@code jwks_uri}, both over HTTPS (HTTP to a loopback address only in local runs), each answer bounded in time and
 * size and required to be a JSON object. Cached per issuer for {@link #MAX_AGE}; a {@code kid} the cache does not know
 * fetches again, at most once per {@link #REFETCH_INTERVAL} per issuer, so tokens naming made-up kids cannot make us
 * hammer an issuer. Any failure to get usable keys is {@link SdkClientException}: the issuer is unavailable (503).
 */
final class OidcIssuerKeys {

    static final Duration MAX_AGE = Duration.ofHours(1);
    static final Duration REFETCH_INTERVAL = Duration.ofMinutes(1);
    /** Real discovery documents are a few KiB, JWKS a few keys; far above both. */
    static final int MAX_DOCUMENT_BYTES = 64 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param freshUntil   until when the keys are used without asking the issuer again
     * @param refetchAfter before this, a kid the keys do not know is not worth a fetch
     * @param usableUntil  until when the keys still serve while the issuer cannot be reached
     */
    private record Cached(JWKSet keys, Instant freshUntil, Instant refetchAfter, Instant usableUntil) {
    }

    private final BoundedHttp http;
    private final boolean loopbackHttp;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    OidcIssuerKeys(BoundedHttp http, boolean loopbackHttp, Clock clock) {
        this.http = http;
        this.loopbackHttp = loopbackHttp;
        this.clock = clock;
    }

    /** The issuer's key with this kid (or its only key when the token names none), if the issuer publishes one. */
    Optional<JWK> key(String issuer, Optional<String> kid) {
        Instant now = clock.instant();
        Cached cached = cache.get(issuer);
        if (cached != null && now.isBefore(cached.freshUntil())) {
            Optional<JWK> found = find(cached.keys(), kid);
            if (found.isPresent() || now.isBefore(cached.refetchAfter())) {
                return found;
            }
        }
        try {
            Cached fetched = new Cached(fetch(issuer), now.plus(MAX_AGE), now.plus(REFETCH_INTERVAL),
                    now.plus(MAX_AGE.multipliedBy(24)));
            cache.put(issuer, fetched);
            return find(fetched.keys(), kid);
        } catch (SdkClientException unavailable) {
            if (cached == null || !now.isBefore(cached.usableUntil())) {
                throw unavailable;
            }
            // Keys we had still verify what they signed: an issuer's outage need not stop its tokens at once. The
            // next try waits a refetch interval.
            cache.put(issuer, new Cached(cached.keys(), now.plus(REFETCH_INTERVAL), now.plus(REFETCH_INTERVAL),
                    cached.usableUntil()));
            return find(cached.keys(), kid);
        }
    }

    private static Optional<JWK> find(JWKSet keys, Optional<String> kid) {
        if (kid.isPresent()) {
            return Optional.ofNullable(keys.getKeyByKeyId(kid.get()));
        }
        return keys.getKeys().size() == 1 ? Optional.of(keys.getKeys().get(0)) : Optional.empty();
    }

    private JWKSet fetch(String issuer) {
        // OpenID Connect Discovery §4: the issuer, without a trailing slash, then the well-known path.
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        URI discovery;
        try {
            discovery = allowed(new URI(base + "/.well-known/openid-configuration"));
        } catch (java.net.URISyntaxException e) {
            throw SdkClientException.create("the issuer is not a URL");
        }
        JsonNode metadata = getJsonObject(discovery);
        JsonNode issuerMember = metadata.get("issuer");
        JsonNode jwksUri = metadata.get("jwks_uri");
        if (issuerMember == null || !issuer.equals(issuerMember.asText()) || jwksUri == null || !jwksUri.isTextual()) {
            throw SdkClientException.create("the discovery document of " + issuer
                    + " does not name this issuer and a jwks_uri");
        }
        URI jwks;
        try {
            jwks = allowed(new URI(jwksUri.asText()));
        } catch (java.net.URISyntaxException e) {
            throw SdkClientException.create("the jwks_uri of " + issuer + " is not a URI");
        }
        try {
            JWKSet set = JWKSet.parse(getJsonObject(jwks).toString());
            return new JWKSet(set.getKeys().stream().filter(key -> !key.isPrivate()).toList());
        } catch (ParseException e) {
            throw SdkClientException.create("the JWKS of " + issuer + " does not parse", e);
        }
    }

    private JsonNode getJsonObject(URI uri) {
        BoundedHttp.Answer answer = http.call(SdkHttpFullRequest.builder().uri(uri).method(SdkHttpMethod.GET)
                .putHeader("Accept", "application/json").build(), MAX_DOCUMENT_BYTES);
        if (answer.status() != 200) {
            throw SdkClientException.create(uri + " answered HTTP " + answer.status());
        }
        String type = answer.contentType().orElse("").toLowerCase(Locale.ROOT);
        if (!(type.startsWith("application/json") || type.startsWith("application/jwk-set+json"))) {
            throw SdkClientException.create(uri + " answered " + (type.isEmpty() ? "no media type" : type));
        }
        try {
            JsonNode node = JSON.readTree(new String(answer.body(), StandardCharsets.UTF_8));
            if (node == null || !node.isObject()) {
                throw SdkClientException.create(uri + " answered JSON that is not an object");
            }
            return node;
        } catch (IOException e) {
            throw SdkClientException.create(uri + " answered something that is not JSON");
        }
    }

    /** HTTPS; plain HTTP only to a loopback address, and only when this is a local run. */
    private URI allowed(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https") && uri.getHost() != null && uri.getRawUserInfo() == null) {
            return uri;
        }
        if (scheme.equals("http") && loopbackHttp && uri.getHost() != null && isLoopback(uri.getHost())) {
            return uri;
        }
        throw SdkClientException.create("refusing to fetch " + uri + ": HTTPS only");
    }

    private static boolean isLoopback(String host) {
        if (host.equals("localhost")) {
            return true;
        }
        try {
            // Only literal addresses: no name is resolved here.
            return (host.matches("[0-9.]+") || host.startsWith("[")) && InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
