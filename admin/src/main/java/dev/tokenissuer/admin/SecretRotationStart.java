package dev.tokenissuer.admin;

import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.RotateSecretResponse;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code tokenctl secret rotate --secrets-manager NAME}: RotateSecret on a secret that has a rotation function (the
 * template's, when {@code EnableSecretRotation} is on); Secrets Manager then runs its four steps. A secret without
 * one is refused here with what to do, before Secrets Manager is asked.
 */
final class SecretRotationStart {

    private SecretRotationStart() {
    }

    static Map<String, Object> start(SecretsManagerClient secrets, String name) {
        DescribeSecretResponse described = secrets.describeSecret(r -> r.secretId(name));
        if (described.rotationLambdaARN() == null || described.rotationLambdaARN().isBlank()) {
            throw new AdminException("secret " + name + " has no rotation function: deploy with"
                    + " EnableSecretRotation=true and attach it (docs/credentials.md#rotation)");
        }
        RotateSecretResponse rotated = secrets.rotateSecret(r -> r.secretId(name));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("arn", rotated.arn());
        result.put("pending_version_id", rotated.versionId());
        result.put("rotation_function", described.rotationLambdaARN());
        return result;
    }
}
