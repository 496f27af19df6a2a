package dev.tokenissuer.testing;

import dev.tokenissuer.api.TokenIssuerApi;
import dev.tokenissuer.config.IssuerConfig;
import dev.tokenissuer.lambda.TokenIssuerApplication;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;

/** The API as deployed (DynamoDB and KMS, logs on stdout), for tests that run it against the emulator. */
public final class DeployedApis {

    private DeployedApis() {
    }

    /** Over SDK clients it builds from {@code config} itself (its endpoint and call timeout), as the function does. */
    public static TokenIssuerApi create(IssuerConfig config) {
        TokenIssuerApplication.Clients clients = TokenIssuerApplication.Clients.from(config);
        return TokenIssuerApplication.deployed(config, clients.kms(), clients.dynamo(), clients.replayDynamo()).api();
    }

    /** Over these clients, replay records in the same region. */
    public static TokenIssuerApi create(IssuerConfig config, KmsClient kms, DynamoDbClient dynamo) {
        return deployed(config, kms, dynamo).api();
    }

    /** Over these clients, replay records in the same region. */
    public static TokenIssuerApplication.Application deployed(IssuerConfig config, KmsClient kms,
                                                              DynamoDbClient dynamo) {
        return TokenIssuerApplication.deployed(config, kms, dynamo, dynamo);
    }
}
