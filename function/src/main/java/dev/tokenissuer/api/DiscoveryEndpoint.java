package dev.tokenissuer.api;

import dev.tokenissuer.grant.AssertionKeys;
import dev.tokenissuer.grant.Grants;
import dev.tokenissuer.http.Endpoints;
import dev.tokenissuer.http.HttpRequest;
import dev.tokenissuer.http.HttpResponse;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /.well-known/oauth-authorization-server} (RFC 8414) and {@code GET /.well-known/openid-configuration}:
 * the same metadata, so OAuth and OpenID clients and resource servers find the token endpoint and the JWKS. There are
 * no ID tokens, so no {@code id_token_signing_alg_values_supported}.
 */
public final class DiscoveryEndpoint {

    private final IssuerName issuer;
    private final Optional<URI> publicBaseUrl;
    private final int maxAgeSeconds;
    private final Grants grants;

    /**
     * @param issuer        the tokens' {@code iss}; RFC 8414 wants the metadata's {@code issuer} to be exactly that
     * @param publicBaseUrl the configured base URL, if any; else each request's own
     * @param grants        what the token endpoint supports
     */
    public DiscoveryEndpoint(IssuerName issuer, Optional<URI> publicBaseUrl, int maxAgeSeconds, Grants grants) {
        this.grants = grants;
        this.issuer = issuer;
        this.publicBaseUrl = publicBaseUrl;
        this.maxAgeSeconds = maxAgeSeconds;
    }

    public HttpResponse handle(HttpRequest request) {
        String base = PublicBaseUrl.of(request, publicBaseUrl).orElseThrow(
                () -> new ApiException(PublicBaseUrl.NO_VALID_HOST));
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("issuer", issuer.of(Optional.of(base)));
        metadata.put("token_endpoint", base + Endpoints.TOKEN_PATH);
        metadata.put("jwks_uri", base + Endpoints.JWKS_PATH);
        metadata.put("grant_types_supported", grants.grantTypes());
        metadata.put("token_endpoint_auth_methods_supported", grants.clientAuthenticationMethods());
        // What a jwt-bearer assertion may be signed with, as the grant checks it; sorted, for a stable document.
        metadata.put("token_endpoint_auth_signing_alg_values_supported",
                AssertionKeys.ALGORITHMS.stream().sorted().toList());
        if (!grants.dpopAlgorithms().isEmpty()) {
            metadata.put("dpop_signing_alg_values_supported", grants.dpopAlgorithms());
        }
        // Required by RFC 8414; empty, as there is no authorization endpoint to send a response_type to.
        metadata.put("response_types_supported", List.of());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Cache-Control", "public, max-age=" + maxAgeSeconds);
        if (publicBaseUrl.isEmpty()) {
            // The URLs are built from these headers: a shared cache must not serve one host's document to another.
            headers.put("Vary", "Host, X-Forwarded-Proto");
        }
        return HttpResponse.json(200, Json.write(metadata), headers);
    }
}
