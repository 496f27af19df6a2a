package dev.tokenissuer.admin;

import dev.tokenissuer.aws.AwsClients;
import dev.tokenissuer.config.IssuerConfig;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * What commands work with: the same configuration as the function (same environment variables), and SDK clients
 * built on first use, so {@code --help} needs no AWS settings.
 */
final class AdminContext implements AutoCloseable {

    /** An operator's command may wait longer than a token request. */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);

    private final IssuerConfig config;
    private final Map<String, String> env;
    private final PrintStream err;
    private SdkHttpClient http;
    private DynamoDbClient dynamo;
    private KmsClient kms;
    private SecretsManagerClient secretsManager;
    private final Map<String, KmsClient> regionalKms = new java.util.HashMap<>();
    private Regions regions;

    AdminContext(IssuerConfig config, Map<String, String> env, PrintStream err) {
        this.config = config;
        this.env = env;
        this.err = err;
    }

    IssuerConfig config() {
        return config;
    }

    /** The environment tokenctl runs in, for settings beyond the function's configuration. */
    Map<String, String> env() {
        return env;
    }

    /** Where progress and warnings go; stdout is for the JSON result. */
    PrintStream err() {
        return err;
    }

    /** The regions tokenctl works across ({@link Regions}). */
    synchronized Regions regions() {
        if (regions == null) {
            regions = Regions.from(env);
        }
        return regions;
    }

    /** The table in the primary region: tokenctl writes once, there, and says so. */
    synchronized DynamoDbClient dynamo() {
        if (dynamo == null) {
            dynamo = regions().primary()
                    .map(region -> AwsClients.dynamo(http(), CALL_TIMEOUT, config.awsEndpoint(), region))
                    .orElseGet(() -> AwsClients.dynamo(http(), CALL_TIMEOUT, config.awsEndpoint()));
            if (regions().multiRegion()) {
                // One region: where it writes goes without saying (and scripts read stderr's one-line errors).
                err.println("tokenctl: table " + config.tableName() + " in " + regions().describe());
            }
        }
        return dynamo;
    }

    /** KMS in the primary region, where keys are created. */
    synchronized KmsClient kms() {
        if (kms == null) {
            kms = regions().primary()
                    .map(region -> AwsClients.kms(http(), CALL_TIMEOUT, config.awsEndpoint(), region))
                    .orElseGet(() -> AwsClients.kms(http(), CALL_TIMEOUT, config.awsEndpoint()));
        }
        return kms;
    }

    synchronized SecretsManagerClient secretsManager() {
        if (secretsManager == null) {
            secretsManager = AwsClients.configure(SecretsManagerClient.builder(), http(), CALL_TIMEOUT,
                    config.awsEndpoint()).build();
        }
        return secretsManager;
    }

    private synchronized KmsClient kmsIn(String region) {
        return regionalKms.computeIfAbsent(region,
                name -> AwsClients.kms(http(), CALL_TIMEOUT, config.awsEndpoint(), name));
    }

    AdminStore store() {
        return new AdminStore(dynamo(), config.tableName(), Clock.systemUTC());
    }

    SigningKeyAdmin signingKeys() {
        KeyReplicas replicas = regions().multiRegion()
                ? new KeyReplicas(kms(), this::kmsIn, dynamo(), config.tableName(), regions().replicas())
                : KeyReplicas.none();
        return new SigningKeyAdmin(kms(), new SigningKeyStore(dynamo(), config.tableName()), config.signingKeyId(),
                Clock.systemUTC(), replicas);
    }

    SigningKeyAdmin.Timings signingKeyTimings() {
        return SigningKeyAdmin.Timings.of(config);
    }

    private SdkHttpClient http() {
        if (http == null) {
            http = AwsClients.httpClient(CALL_TIMEOUT);
        }
        return http;
    }

    @Override
    public synchronized void close() {
        if (dynamo != null) {
            dynamo.close();
        }
        if (kms != null) {
            kms.close();
        }
        if (secretsManager != null) {
            secretsManager.close();
        }
        regionalKms.values().forEach(KmsClient::close);
        if (http != null) {
            http.close();
        }
    }
}
