package dev.tokenissuer.rotation;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.tokenissuer.admin.AdminStore;
import dev.tokenissuer.aws.AwsClients;
import dev.tokenissuer.config.IssuerConfig;
import dev.tokenissuer.store.DynamoCredentialStore;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The rotation function's Lambda handler: translates Secrets Manager's event ({@code Step}, {@code SecretId},
 * {@code ClientRequestToken}) into a call of {@link ClientSecretRotation}. Clients and configuration are built once
 * per container, from TABLE_NAME, AWS_ENDPOINT_URL and ROTATION_OVERLAP_SECONDS (default 86400: how long the previous
 * client secret keeps working after a rotation).
 */
public final class SecretRotationHandler implements RequestHandler<Map<String, Object>, Void> {

    static final Duration DEFAULT_OVERLAP = Duration.ofHours(24);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final ClientSecretRotation rotation;
    private final RotationLog log;

    public SecretRotationHandler() {
        this(System.getenv());
    }

    SecretRotationHandler(Map<String, String> env) {
        IssuerConfig config = IssuerConfig.from(env);
        SdkHttpClient http = AwsClients.httpClient(CALL_TIMEOUT);
        DynamoDbClient dynamo = AwsClients.dynamo(http, CALL_TIMEOUT, config.awsEndpoint());
        SecretsManagerClient secrets = AwsClients.configure(SecretsManagerClient.builder(), http, CALL_TIMEOUT,
                config.awsEndpoint()).build();
        this.log = new RotationLog(System.out, Clock.systemUTC());
        this.rotation = new ClientSecretRotation(secrets, new AdminStore(dynamo, config.tableName(),
                Clock.systemUTC()), new DynamoCredentialStore(dynamo, config.tableName()), overlap(env),
                Clock.systemUTC(), log);
    }

    public SecretRotationHandler(ClientSecretRotation rotation, RotationLog log) {
        this.rotation = rotation;
        this.log = log;
    }

    @Override
    public Void handleRequest(Map<String, Object> event, Context context) {
        String step = String.valueOf(event.get("Step"));
        String secretId = String.valueOf(event.get("SecretId"));
        String token = String.valueOf(event.get("ClientRequestToken"));
        try {
            rotation.run(step, secretId, token);
        } catch (RotationRefused refused) {
            log.refused(step, secretId, token, refused.getMessage());
            throw refused;
        }
        return null;
    }

    static Duration overlap(Map<String, String> env) {
        String value = env.get("ROTATION_OVERLAP_SECONDS");
        if (value == null || value.isBlank()) {
            return DEFAULT_OVERLAP;
        }
        long seconds = Long.parseLong(value.trim());
        if (seconds < 60 || seconds > 30L * 86_400) {
            throw new IllegalArgumentException("ROTATION_OVERLAP_SECONDS must be between 60 and 2592000, not "
                    + seconds);
        }
        return Duration.ofSeconds(seconds);
    }
}
