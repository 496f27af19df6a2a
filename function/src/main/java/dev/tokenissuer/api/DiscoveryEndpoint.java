package dev.tokenissuer.api;

import com.nimbusds.jose.Algorithm;
import com.nimbusds.jose.jwk.JWK;
import dev.tokenissuer.grant.AssertionKeys;
import dev.tokenissuer.grant.Grants;
import dev.tokenissuer.http.Endpoints;
import dev.tokenissuer.http.HttpRequest;
import dev.tokenissuer.http.HttpResponse;
import dev.tokenissuer.http.JsonValues;
import dev.tokenissuer.signing.SigningKeys;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code GET /.well-known/oauth-authorization-server} (RFC 8414) and {@code GET /.well-known/openid-configuration}:
 * the same metadata, so OAuth and OpenID clients and resource servers find the token endpoint and the JWKS.
 *
 * <p>It carries what OpenID Connect Discovery 1.0 §3 marks REQUIRED, with true values, except
 * {@code authorization_endpoint}: there is none, and a made-up URL would send a client to a 404 (RFC 8414 §2 requires
 * it only of servers with a grant that uses it). OpenID libraries (Nimbus's {@code OIDCProviderMetadata}, Spring's
 * {@code ClientRegistrations}) refuse a document without {@code subject_types_supported}, and go-oidc verifies only
 * the algorithms {@code id_token_signing_alg_values_supported} names: so that is the algorithms the JWKS publishes,
 * which sign the access tokens (there are no ID tokens), and after a rotation to a P-256 key it names ES256.
 */
public final class DiscoveryEndpoint {

    private final IssuerName issuer;
    private final Optional<URI> publicBaseUrl;
    private final int maxAgeSeconds;
    private final Grants grants;
    private final SigningKeys keys;

    /**
     * @param issuer        the tokens' {@code iss}; RFC 8414 wants the metadata's {@code issuer} to be exactly that
     * @param publicBaseUrl the configured base URL, if any; else each request's own
     * @param maxAgeSeconds how long a cache may keep the document: as long as the JWKS, whose algorithms it lists
     * @param grants        what the token endpoint supports
     * @param keys          the keys the JWKS publishes, whose algorithms the document names
     */
    public DiscoveryEndpoint(IssuerName issuer, Optional<URI> publicBaseUrl, int maxAgeSeconds, Grants grants,
                             SigningKeys keys) {
        this.grants = grants;
        this.keys = keys;
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
        // Required by RFC 8414 and OpenID Discovery; empty, as there is no authorization endpoint to send one to.
        metadata.put("response_types_supported", List.of());
        // OpenID Discovery §3, required: `sub` is the service user's id, the same for every client.
        metadata.put("subject_types_supported", List.of("public"));
        metadata.put("id_token_signing_alg_values_supported", publishedAlgorithms());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Cache-Control", "public, max-age=" + maxAgeSeconds);
        if (publicBaseUrl.isEmpty()) {
            // The URLs are built from these headers: a shared cache must not serve one host's document to another.
            headers.put("Vary", "Host, X-Forwarded-Proto");
        }
        return HttpResponse.json(200, JsonValues.write(metadata), headers);
    }

    /** The algorithms of the keys the JWKS publishes, the signing key's first, each once. */
    private List<String> publishedAlgorithms() {
        return keys.verificationKeys().stream()
                .map(JWK::getAlgorithm)
                .filter(Objects::nonNull)
                .map(Algorithm::getName)
                .distinct()
                .toList();
    }
}
