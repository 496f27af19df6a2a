package dev.tokenissuer.admin;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The Secrets Manager side of {@code tokenctl secret ...}: delivery into a secret, and a rotation started by hand. */
final class SecretsManagerCommands {

    private SecretsManagerCommands() {
    }

    static List<Command> all() {
        return List.of(Command.of("secret rotate", "secret rotate --secrets-manager NAME",
                "Start a rotation of a Secrets Manager secret that holds a client secret, now: its rotation"
                        + " function makes a new client secret and keeps the previous one valid for the overlap.",
                Set.of("secrets-manager"), (args, context) -> {
                    args.none();
                    return SecretRotationStart.start(context.secretsManager(), args.required("secrets-manager"));
                }));
    }

    /** {@code secret create ... --to-secrets-manager NAME}: prints the secret's ARN and the new client id only. */
    static Map<String, Object> deliver(Args args, AdminContext context, String serviceUserId,
                                       Optional<Instant> validUntil) {
        String tokenEndpoint = args.option("token-endpoint")
                .or(() -> context.config().publicBaseUrl().map(ClientSecretDocument::tokenEndpoint))
                .orElseThrow(() -> new Args.UsageException("--token-endpoint URL is required when PUBLIC_BASE_URL"
                        + " is not set: the secret tells its consumers where to get tokens"));
        SecretsManagerDelivery.Delivered delivered = new SecretsManagerDelivery(context.store(),
                context.secretsManager()).deliver(serviceUserId, args.option("title").orElse(""), validUntil,
                args.required("to-secrets-manager"), args.option("kms-key-id"), tokenEndpoint);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("arn", delivered.arn());
        result.put("client_id", delivered.clientId());
        return result;
    }
}
