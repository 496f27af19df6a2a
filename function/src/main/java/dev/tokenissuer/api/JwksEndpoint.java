package dev.tokenissuer.api;

import com.nimbusds.jose.jwk.JWK;
import dev.tokenissuer.http.HttpResponse;
import dev.tokenissuer.http.JsonValues;
import dev.tokenissuer.signing.SigningKeys;

import java.util.List;
import java.util.Map;

/** {@code GET /.well-known/jwks.json} and {@code GET /v1beta1/auth/jwks}: the public keys that verify our tokens. */
public final class JwksEndpoint {

    private final SigningKeys keys;
    private final int maxAgeSeconds;

    public JwksEndpoint(SigningKeys keys, int maxAgeSeconds) {
        this.keys = keys;
        this.maxAgeSeconds = maxAgeSeconds;
    }

    public HttpResponse handle() {
        List<Map<String, Object>> jwks = keys.verificationKeys().stream()
                .map(JWK::toPublicJWK)
                .map(JWK::toJSONObject)
                .toList();
        return HttpResponse.json(200, JsonValues.write(Map.of("keys", jwks)),
                Map.of("Cache-Control", "public, max-age=" + maxAgeSeconds));
    }
}
