package dev.tokenissuer.admin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How every listing ({@code serviceuser get}, {@code secret list}, {@code key list}) shows a credential's age and
 * expiry ({@link #putAgeAndExpiry}).
 */
final class CredentialListings {

    private CredentialListings() {
    }

    /** What {@code serviceuser get} adds: its secrets and keys, each with its age and expiry. */
    static Map<String, Object> details(AdminStore store, String serviceUserId) {
        Instant now = Clock.systemUTC().instant();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("secrets", store.listSecrets(serviceUserId).stream().map(secret -> json(secret, now)).toList());
        result.put("keys", store.listKeys(serviceUserId).stream().map(key -> {
            Map<String, Object> json = KeyCommands.json(key, now);
            json.remove("public_key");
            return json;
        }).toList());
        return result;
    }

    static Map<String, Object> json(AdminStore.StoredSecret secret, Instant now) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("client_id", secret.clientId());
        result.put("title", secret.title());
        result.put("state", secret.state().storedName());
        putAgeAndExpiry(result, secret.createdAt(), secret.validUntil(), now);
        return result;
    }

    /**
     * {@code created_at}, {@code age_days}, {@code valid_until} (null: never expires), {@code expires_in_days}
     * (negative once expired) and {@code expired}: the same members in every listing.
     */
    static void putAgeAndExpiry(Map<String, Object> json, String createdAt, Optional<Instant> validUntil,
                                Instant now) {
        json.put("created_at", createdAt);
        json.put("age_days", ageDays(createdAt, now));
        json.put("valid_until", validUntil.map(Instant::toString).orElse(null));
        json.put("expires_in_days", validUntil.map(until -> Duration.between(now, until).toHours() / 24.0)
                .map(days -> Math.round(days * 10) / 10.0).orElse(null));
        json.put("expired", validUntil.map(until -> !now.isBefore(until)).orElse(false));
    }

    private static Double ageDays(String createdAt, Instant now) {
        try {
            return Math.round(Duration.between(Instant.parse(createdAt), now).toHours() / 24.0 * 10) / 10.0;
        } catch (RuntimeException e) {
            return null;
        }
    }

}
