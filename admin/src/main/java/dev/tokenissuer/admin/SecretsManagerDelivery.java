package dev.tokenissuer.admin;

import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code tokenctl secret create ID --to-secrets-manager NAME}: a new client secret that never passes through a
 * terminal. The credential is written to DynamoDB, then its {@link ClientSecretDocument} as a new version (the
 * current one) of the Secrets Manager secret, which is created, with the given KMS key, when it does not exist. If
 * Secrets Manager refuses, the credential is deleted again, so nothing is left half-made. The previous version's
 * credential stays valid: delete it ({@code secret delete}) once its consumers read the new one, or let rotation
 * handle the overlap.
 */
final class SecretsManagerDelivery {

    private final AdminStore store;
    private final SecretsManagerClient secrets;

    SecretsManagerDelivery(AdminStore store, SecretsManagerClient secrets) {
        this.store = store;
        this.secrets = secrets;
    }

    record Delivered(String arn, String versionId, String clientId, Optional<Instant> validUntil) {
    }

    Delivered deliver(String serviceUserId, String title, Optional<Instant> validUntil, String secretName,
                      Optional<String> kmsKeyId, String tokenEndpoint) {
        AdminStore.NewSecret secret = store.createSecret(serviceUserId, title, validUntil);
        String json = new ClientSecretDocument(secret.clientId(), secret.clientSecret(), tokenEndpoint).toJson();
        String token = UUID.randomUUID().toString();
        try {
            try {
                if (kmsKeyId.isPresent()) {
                    // UpdateSecret stores a new current version and changes the key in one call.
                    var updated = secrets.updateSecret(r -> r.secretId(secretName).kmsKeyId(kmsKeyId.get())
                            .secretString(json).clientRequestToken(token));
                    return new Delivered(updated.arn(), updated.versionId(), secret.clientId(), validUntil);
                }
                PutSecretValueResponse put = secrets.putSecretValue(r -> r.secretId(secretName).secretString(json)
                        .clientRequestToken(token));
                return new Delivered(put.arn(), put.versionId(), secret.clientId(), validUntil);
            } catch (ResourceNotFoundException missing) {
                var created = secrets.createSecret(r -> r.name(secretName).secretString(json)
                        .clientRequestToken(token)
                        .description("token-issuer client credentials of service user " + serviceUserId)
                        .kmsKeyId(kmsKeyId.orElse(null)));
                return new Delivered(created.arn(), created.versionId(), secret.clientId(), validUntil);
            }
        } catch (RuntimeException failed) {
            store.deleteSecret(secret.clientId());
            throw failed;
        }
    }
}
