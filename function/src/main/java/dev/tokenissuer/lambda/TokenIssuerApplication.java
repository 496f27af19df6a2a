package dev.tokenissuer.lambda;

import dev.tokenissuer.api.DiscoveryEndpoint;
import dev.tokenissuer.api.JsonLinesRequestLog;
import dev.tokenissuer.api.JsonLinesSigningKeysLog;
import dev.tokenissuer.api.JwksEndpoint;
import dev.tokenissuer.api.RequestLog;
import dev.tokenissuer.api.TokenEndpoint;
import dev.tokenissuer.api.TokenIssuerApi;
import dev.tokenissuer.aws.AwsClients;
import dev.tokenissuer.config.IssuerConfig;
import dev.tokenissuer.grant.AssertionRules;
import dev.tokenissuer.grant.ClientCredentialsGrant;
import dev.tokenissuer.grant.JwtBearerGrant;
import dev.tokenissuer.store.DynamoCredentialStore;
import dev.tokenissuer.store.DynamoReplayGuard;
import dev.tokenissuer.store.DynamoVerificationSetStore;
import dev.tokenissuer.token.AccessTokenIssuer;
import dev.tokenissuer.token.KeySetLoader;
import dev.tokenissuer.token.RefreshingSigningKeys;
import dev.tokenissuer.token.SigningKeysLog;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;

import java.time.Clock;
import java.util.List;

/** Wires the API from configuration: SDK clients, store, grants, signer. Built once per container. */
public final class TokenIssuerApplication {

    private TokenIssuerApplication() {
    }

    /** The SDK clients the API calls AWS with: one HTTP client under KMS and DynamoDB. Closing closes all three. */
    public record Clients(SdkHttpClient http, KmsClient kms, DynamoDbClient dynamo) implements AutoCloseable {

        public static Clients from(IssuerConfig config) {
            SdkHttpClient http = AwsClients.httpClient(config.awsCallTimeout());
            return new Clients(http,
                    AwsClients.kms(http, config.awsCallTimeout(), config.awsEndpoint()),
                    AwsClients.dynamo(http, config.awsCallTimeout(), config.awsEndpoint()));
        }

        @Override
        public void close() {
            kms.close();
            dynamo.close();
            http.close();
        }
    }

    public static TokenIssuerApi fromEnvironment() {
        return create(IssuerConfig.fromEnvironment());
    }

    public static TokenIssuerApi create(IssuerConfig config) {
        Clients clients = Clients.from(config);
        return create(config, clients.kms(), clients.dynamo());
    }

    public static TokenIssuerApi create(IssuerConfig config, KmsClient kms, DynamoDbClient dynamo) {
        return create(config, kms, dynamo, new JsonLinesRequestLog(System.out),
                new JsonLinesSigningKeysLog(System.out));
    }

    /** With the given logs: SnapStart priming's twin of the API logs nothing. */
    public static TokenIssuerApi create(IssuerConfig config, KmsClient kms, DynamoDbClient dynamo, RequestLog log,
                                        SigningKeysLog keysLog) {
        Clock clock = Clock.systemUTC();
        RefreshingSigningKeys keys = new RefreshingSigningKeys(
                KeySetLoader.kms(kms, config.signingKeyId(), new DynamoVerificationSetStore(dynamo, config.tableName()),
                        keysLog),
                config.signingKeysRefresh(), clock, keysLog);
        DynamoCredentialStore store = new DynamoCredentialStore(dynamo, config.tableName());
        AccessTokenIssuer issuer = new AccessTokenIssuer(
                keys, config.issuer(), config.tokenTtl(), config.audience(), clock);
        JwtBearerGrant jwtBearer = new JwtBearerGrant(store,
                new DynamoReplayGuard(dynamo, config.tableName(), clock),
                AssertionRules.from(config), clock);
        TokenEndpoint token = new TokenEndpoint(List.of(new ClientCredentialsGrant(store), jwtBearer), issuer);
        JwksEndpoint jwks = new JwksEndpoint(keys, config.jwksCacheMaxAgeSeconds());
        DiscoveryEndpoint discovery = new DiscoveryEndpoint(
                config.issuer(), config.publicBaseUrl(), config.jwksMaxAgeSeconds());
        return new TokenIssuerApi(token, jwks, discovery, log);
    }
}
