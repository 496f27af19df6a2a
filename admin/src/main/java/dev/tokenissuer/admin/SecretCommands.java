package dev.tokenissuer.admin;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code tokenctl secret ...}: client secrets for the client_credentials grant, printed or kept in Secrets Manager. */
@Command(name = "secret", synopsisSubcommandLabel = "COMMAND",
        description = "Client secrets, for the client_credentials grant.")
final class SecretCommands {

    private final TokenCtl tokenctl;

    SecretCommands(TokenCtl tokenctl) {
        this.tokenctl = tokenctl;
    }

    @Command(name = "create", description = "Create a client secret. The secret is printed once and stored only as "
            + "a hash; or, with --to-secrets-manager, stored as a new version of that secret (created if missing) and "
            + "never printed.")
    Map<String, Object> create(
            @Parameters(paramLabel = "SERVICEUSER_ID") String serviceUserId,
            @Option(names = "--title", paramLabel = "TITLE", defaultValue = "") String title,
            @Option(names = "--expires-in", paramLabel = "DURATION", description = KeyCommands.EXPIRES_IN)
            String expiresIn,
            @Option(names = "--to-secrets-manager", paramLabel = "NAME",
                    description = "Store it in this Secrets Manager secret; print only its ARN and the client id.")
            String secretName,
            @Option(names = "--kms-key-id", paramLabel = "KEY",
                    description = "With --to-secrets-manager: the KMS key of a secret it creates.") String kmsKeyId,
            @Option(names = "--token-endpoint", paramLabel = "URL", description = "With --to-secrets-manager: the "
                    + "token endpoint the secret names (default from PUBLIC_BASE_URL).") String tokenEndpoint) {
        Optional<Instant> validUntil = ExpiresIn.validUntil(Optional.ofNullable(expiresIn), Clock.systemUTC());
        AdminContext context = tokenctl.context();
        if (secretName != null) {
            return deliver(context, serviceUserId, title, validUntil, secretName, Optional.ofNullable(kmsKeyId),
                    Optional.ofNullable(tokenEndpoint));
        }
        if (kmsKeyId != null || tokenEndpoint != null) {
            throw new IllegalArgumentException("--kms-key-id and --token-endpoint go with --to-secrets-manager");
        }
        AdminStore.NewSecret secret = context.store().createSecret(serviceUserId, title, validUntil);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("client_id", secret.clientId());
        result.put("client_secret", secret.clientSecret());
        result.put("service_user_id", secret.serviceUserId());
        result.put("title", secret.title());
        result.put("created_at", secret.createdAt());
        result.put("valid_until", secret.validUntil().map(Object::toString).orElse(null));
        return result;
    }

    @Command(name = "list", description = "List a service user's client secrets (never the secrets): age and expiry "
            + "of each.")
    Map<String, Object> list(@Parameters(paramLabel = "SERVICEUSER_ID") String serviceUserId) {
        Instant now = Clock.systemUTC().instant();
        List<Map<String, Object>> secrets = tokenctl.context().store().listSecrets(serviceUserId).stream()
                .map(secret -> CredentialListings.json(secret, now)).toList();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("service_user_id", serviceUserId);
        result.put("secrets", secrets);
        return result;
    }

    @Command(name = "rotate", description = "Start a rotation of a Secrets Manager secret that holds a client secret, "
            + "now: its rotation function makes a new client secret and keeps the previous one valid for the overlap.")
    Map<String, Object> rotate(@Option(names = "--secrets-manager", required = true, paramLabel = "NAME")
                               String secretName) {
        return SecretRotationStart.start(tokenctl.context().secretsManager(), Options.given("--secrets-manager",
                secretName));
    }

    @Command(name = "delete", description = "Delete a client secret; it stops working at once.")
    Map<String, Object> delete(@Parameters(paramLabel = "CLIENT_ID") String clientId) {
        return Map.of("client_id", tokenctl.context().store().deleteSecret(clientId), "deleted", true);
    }

    /** {@code secret create ... --to-secrets-manager NAME}: the secret's ARN and the new client id, nothing more. */
    private static Map<String, Object> deliver(AdminContext context, String serviceUserId, String title,
                                               Optional<Instant> validUntil, String secretName,
                                               Optional<String> kmsKeyId, Optional<String> tokenEndpoint) {
        String endpoint = tokenEndpoint
                .or(() -> context.config().publicBaseUrl().map(ClientSecretDocument::tokenEndpoint))
                .orElseThrow(() -> new IllegalArgumentException("--token-endpoint URL is required when "
                        + "PUBLIC_BASE_URL is not set: the secret tells its consumers where to get tokens"));
        SecretsManagerDelivery.Delivered delivered = new SecretsManagerDelivery(context.store(),
                context.secretsManager()).deliver(serviceUserId, title, validUntil, secretName, kmsKeyId, endpoint);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("arn", delivered.arn());
        result.put("client_id", delivered.clientId());
        return result;
    }
}
