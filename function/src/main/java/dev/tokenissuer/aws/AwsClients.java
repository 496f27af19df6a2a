package dev.tokenissuer.aws;

import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;

import java.net.URI;
import java.util.Optional;

import java.time.Duration;

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

    public static DynamoDbClient dynamo(SdkHttpClient http, Duration callTimeout, Optional<URI> endpoint) {
        return configure(DynamoDbClient.builder(), http, callTimeout, endpoint).build();
    }

    private static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configure(
            B builder, SdkHttpClient http, Duration callTimeout, Optional<URI> endpoint) {
        builder.httpClient(http).overrideConfiguration(overrides(callTimeout));
        endpoint.ifPresent(builder::endpointOverride);
        return builder;
    }
}
