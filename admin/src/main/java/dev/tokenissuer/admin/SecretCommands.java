package dev.tokenissuer.admin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code tokenctl secret ...}: client secrets for the client_credentials grant. */
final class SecretCommands {

    private SecretCommands() {
    }

    static List<Command> all() {
        return List.of(
                Command.of("secret create", "secret create SERVICEUSER_ID [--title TITLE] [--expires-in 90d]"
                                + " [--to-secrets-manager NAME [--kms-key-id K] [--token-endpoint URL]]",
                        "Create a client secret. The secret is printed once and stored only as a hash; or, with"
                                + " --to-secrets-manager, stored as a new version of that secret (created if"
                                + " missing) and never printed. --expires-in (s, m, h, d) makes it stop working then.",
                        Set.of("title", "expires-in", "to-secrets-manager", "kms-key-id", "token-endpoint"),
                        (args, context) -> {
                            String serviceUserId = args.single("SERVICEUSER_ID");
                            java.util.Optional<java.time.Instant> validUntil = ExpiresIn.validUntil(
                                    args.option("expires-in"), java.time.Clock.systemUTC());
                            if (args.option("to-secrets-manager").isPresent()) {
                                return SecretsManagerCommands.deliver(args, context, serviceUserId, validUntil);
                            }
                            if (args.option("kms-key-id").isPresent() || args.option("token-endpoint").isPresent()) {
                                throw new Args.UsageException("--kms-key-id and --token-endpoint go with"
                                        + " --to-secrets-manager");
                            }
                            AdminStore.NewSecret secret = context.store().createSecret(serviceUserId,
                                    args.option("title").orElse(""), validUntil);
                            Map<String, Object> result = new LinkedHashMap<>();
                            result.put("client_id", secret.clientId());
                            result.put("client_secret", secret.clientSecret());
                            result.put("service_user_id", secret.serviceUserId());
                            result.put("title", secret.title());
                            result.put("created_at", secret.createdAt());
                            result.put("valid_until", secret.validUntil().map(Object::toString).orElse(null));
                            return result;
                        }),
                Command.of("secret delete", "secret delete CLIENT_ID",
                        "Delete a client secret; it stops working at once.", Set.of(), (args, context) -> {
                            String clientId = context.store().deleteSecret(args.single("CLIENT_ID"));
                            return Map.of("client_id", clientId, "deleted", true);
                        }));
    }
}
