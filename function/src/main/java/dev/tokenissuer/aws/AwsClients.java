package dev.tokenissuer.aws;

import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the SDK clients, once per container. Region, credentials and endpoint come from the SDK's standard
 * sources ({@code AWS_REGION}, the credential chain, {@code AWS_ENDPOINT_URL}), so the same code talks to AWS, to
 * LocalStack or to moto. Every call is bounded by {@code callTimeout}, retries included, so a stuck dependency
 * costs the caller a quick 503, not the Lambda timeout.
 */
public final class AwsClients {

    private AwsClients() {
    }

    public static SdkHttpClient httpClient(Duration callTimeout) {
        Duration connect = callTimeout.dividedBy(3);
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(connect)
                .socketTimeout(callTimeout)
                .build();
    }

    public static ClientOverrideConfiguration overrides(Duration callTimeout) {
        return ClientOverrideConfiguration.builder()
                .apiCallTimeout(callTimeout)
                .apiCallAttemptTimeout(callTimeout.dividedBy(2))
                .build();
    }

    public static KmsClient kms(SdkHttpClient http, Duration callTimeout, Optional<URI> endpoint) {
        return configure(KmsClient.builder(), http, callTimeout, endpoint).build();
    }

    /** A KMS client of a given region (tokenctl's replica regions). */
    public static KmsClient kms(SdkHttpClient http, Duration callTimeout, Optional<URI> endpoint, String region) {
        return configure(KmsClient.builder(), http, callTimeout, endpoint).region(Region.of(region)).build();
    }

    public static DynamoDbClient dynamo(SdkHttpClient http, Duration callTimeout, Optional<URI> endpoint) {
        return configure(DynamoDbClient.builder(), http, callTimeout, endpoint).build();
    }

    /** A DynamoDB client of another region than the function's own (the replay records' home region). */
    public static DynamoDbClient dynamo(SdkHttpClient http, Duration callTimeout, Optional<URI> endpoint,
                                        String region) {
        return configure(DynamoDbClient.builder(), http, callTimeout, endpoint).region(Region.of(region)).build();
    }

    public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configure(
            B builder, SdkHttpClient http, Duration callTimeout, Optional<URI> endpoint) {
        builder.httpClient(http).overrideConfiguration(overrides(callTimeout));
        endpoint.ifPresent(builder::endpointOverride);
        regionAndCredentials(builder, System.getenv());
        return builder;
    }

    /**
     * The region and credentials Lambda's environment names, set directly rather than found by the SDK's default
     * chains (AWS's advice for Lambda: fewer classes and lookups at a cold start). Lambda gives a function its role's
     * credentials as environment variables, and a SnapStart version as a container credentials endpoint. Elsewhere
     * (a developer's shell with a profile) the default chains still apply.
     */
    static <B extends AwsClientBuilder<B, C>, C> void regionAndCredentials(B builder, Map<String, String> env) {
        String region = env.get("AWS_REGION");
        if (region != null && !region.isBlank()) {
            builder.region(Region.of(region));
        }
        if (env.get("AWS_ACCESS_KEY_ID") != null && env.get("AWS_SECRET_ACCESS_KEY") != null) {
            builder.credentialsProvider(EnvironmentVariableCredentialsProvider.create());
        } else if (env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI") != null) {
            builder.credentialsProvider(ContainerCredentialsProvider.builder().build());
        }
    }
}
