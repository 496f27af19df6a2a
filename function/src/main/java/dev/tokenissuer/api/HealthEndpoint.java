package dev.tokenissuer.api;

import dev.tokenissuer.http.HttpResponse;
import dev.tokenissuer.http.JsonValues;
import dev.tokenissuer.signing.SigningKeys;
import dev.tokenissuer.signing.SigningReadiness;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /health}: 200 while this instance can sign tokens, 503 with the reason otherwise. Route 53's health
 * checks call it every 30 s from each checker, so it answers from memory ({@link SigningKeys#readiness()}): no AWS
 * call per check. It names no key or internal detail beyond what an operator needs to act.
 */
public final class HealthEndpoint {

    private final SigningKeys keys;
    private final String region;

    public HealthEndpoint(SigningKeys keys, String region) {
        this.keys = keys;
        this.region = region;
    }

    public HttpResponse handle() {
        SigningReadiness readiness = keys.readiness();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", readiness.ready() ? "ok" : "unavailable");
        readiness.problem().ifPresent(problem -> body.put("problem", problem));
        if (!region.isEmpty()) {
            body.put("region", region);
        }
        body.put("keys_loaded_at", when(readiness.keysLoadedAt()));
        body.put("kms_signed_at", when(readiness.kmsAnsweredAt()));
        return HttpResponse.json(readiness.ready() ? 200 : 503, JsonValues.write(body), Map.of("Cache-Control", "no-store"));
    }

    private static String when(Optional<Instant> instant) {
        return instant.map(Instant::toString).orElse(null);
    }
}
