package dev.tokenissuer.admin;

import dev.tokenissuer.store.ServiceUserState;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code tokenctl serviceuser list} and {@code secret list}, and how every listing shows a credential's age and
 * expiry ({@link #putAgeAndExpiry}).
 */
final class CredentialLifecycleCommands {

    private CredentialLifecycleCommands() {
    }

    static List<Command> all() {
        return List.of(
                Command.of("serviceuser list",
                        "serviceuser list [--org ORG_ID] [--state enabled|disabled] [--page-size N] [--page-token T]",
                        "List service users, a page at a time (next_page_token continues): with --org a query of"
                                + " that org's, without a scan of the org index (never of the table).",
                        Set.of("org", "state", "page-size", "page-token"), (args, context) -> {
                            args.none();
                            Optional<ServiceUserState> state = args.option("state").map(value -> switch (value) {
                                case "enabled" -> ServiceUserState.ENABLED;
                                case "disabled" -> ServiceUserState.DISABLED;
                                default -> throw new Args.UsageException("--state is enabled or disabled");
                            });
                            int pageSize = args.option("page-size").map(CredentialLifecycleCommands::number)
                                    .orElse(ServiceUserDirectory.DEFAULT_PAGE_SIZE);
                            ServiceUserDirectory.Page page = new ServiceUserDirectory(context.dynamo(),
                                    context.config().tableName()).list(args.option("org"), state, pageSize,
                                    args.option("page-token"));
                            Map<String, Object> result = new LinkedHashMap<>();
                            result.put("service_users", page.serviceUsers().stream()
                                    .map(ServiceUserCommands::json).toList());
                            result.put("next_page_token", page.nextPageToken().orElse(null));
                            return result;
                        }),
                Command.of("secret list", "secret list SERVICEUSER_ID",
                        "List a service user's client secrets (never the secrets): age and expiry of each.",
                        Set.of(), (args, context) -> {
                            String serviceUserId = args.single("SERVICEUSER_ID");
                            Instant now = Clock.systemUTC().instant();
                            List<Map<String, Object>> secrets = context.store().listSecrets(serviceUserId).stream()
                                    .map(secret -> json(secret, now)).toList();
                            Map<String, Object> result = new LinkedHashMap<>();
                            result.put("service_user_id", serviceUserId);
                            result.put("secrets", secrets);
                            return result;
                        }));
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

    private static int number(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new Args.UsageException("--page-size is a whole number");
        }
    }
}
