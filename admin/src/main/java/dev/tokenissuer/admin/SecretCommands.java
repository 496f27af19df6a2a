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
                Command.of("secret create", "secret create SERVICEUSER_ID [--title TITLE] [--expires-in 90d]",
                        "Create a client secret. The secret is printed once and stored only as a hash;"
                                + " --expires-in (s, m, h, d) makes it stop working then.",
                        Set.of("title", "expires-in"), (args, context) -> {
                            AdminStore.NewSecret secret = context.store().createSecret(
                                    args.single("SERVICEUSER_ID"), args.option("title").orElse(""),
                                    ExpiresIn.validUntil(args.option("expires-in"), java.time.Clock.systemUTC()));
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
