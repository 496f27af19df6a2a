package dev.tokenissuer.lambda;

import dev.tokenissuer.config.IssuerConfig;
import dev.tokenissuer.testing.AwsEmulator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeySpec;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** SnapStart priming over real SDK clients, against the emulator: the calls it makes succeed, and answer as planned. */
class SnapStartPrimingIT {

    @Test
    @DisplayName("priming reads the public key from KMS, looks the nil client id up in DynamoDB and the token exchange's"
            + " unknown issuer too: 200, 401, 400, 401, 400")
    void primesAgainstTheEmulator() {
        try (KmsClient kms = AwsEmulator.kms(); DynamoDbClient dynamo = AwsEmulator.dynamo()) {
            String table = AwsEmulator.newTable(dynamo);
            String alias = "alias/priming-" + UUID.randomUUID();
            String keyId = AwsEmulator.newSigningKey(kms, KeySpec.RSA_2048);
            kms.createAlias(r -> r.aliasName(alias).targetKeyId(keyId));

            SnapStartPriming priming = SnapStartPriming.of(IssuerConfig.from(AwsEmulator.environment(table, alias)));

            assertThat(priming.prime()).containsExactly(200, 401, 400, 401, 400);
        }
    }
}
