package dev.tokenissuer.lambda;

import dev.tokenissuer.api.DiscoveryEndpoint;
import dev.tokenissuer.api.IssuerName;
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
import dev.tokenissuer.grant.ClientSecretAuthentication;
import dev.tokenissuer.grant.DpopProofs;
import dev.tokenissuer.grant.Grant;
import dev.tokenissuer.grant.Grants;
import dev.tokenissuer.grant.JwtBearerGrant;
import dev.tokenissuer.grant.PrivateKeyJwtAuthentication;
import dev.tokenissuer.store.CredentialStore;
import dev.tokenissuer.store.DynamoCredentialStore;
import dev.tokenissuer.store.DynamoFederationRules;
import dev.tokenissuer.store.FederationRules;
import dev.tokenissuer.store.DynamoReplayGuard;
import dev.tokenissuer.store.DynamoVerificationSetStore;
import dev.tokenissuer.store.ReplayGuard;
import dev.tokenissuer.token.AccessTokenIssuer;
import dev.tokenissuer.token.KeySetLoader;
import dev.tokenissuer.token.RefreshingSigningKeys;
import dev.tokenissuer.token.SigningKeys;
import dev.tokenissuer.token.SigningKeysLog;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one wiring of the application: configuration and backends in, the API out. The function, the local server,
 * SnapStart priming's twin and the tests all build the API here; the tests only swap the backends for fakes.
 */
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

    /** Where the API's state lives (credentials, replay records, signing keys, trust rules), and its clock. */
    public record Backends(CredentialStore credentials, ReplayGuard replayGuard, SigningKeys keys, Clock clock,
                           FederationRules federation) {

        /** Without trust rules: every token exchange is refused. */
        public Backends(CredentialStore credentials, ReplayGuard replayGuard, SigningKeys keys, Clock clock) {
            this(credentials, replayGuard, keys, clock, FederationRules.NONE);
        }

        /** DynamoDB and KMS, as deployed. */
        public static Backends aws(IssuerConfig config, KmsClient kms, DynamoDbClient dynamo, SigningKeysLog keysLog) {
            Clock clock = Clock.systemUTC();
            RefreshingSigningKeys keys = new RefreshingSigningKeys(
                    KeySetLoader.kms(kms, config.signingKeyId(),
                            new DynamoVerificationSetStore(dynamo, config.tableName()), keysLog),
                    config.signingKeysRefresh(), clock, keysLog);
            return new Backends(new DynamoCredentialStore(dynamo, config.tableName()),
                    new DynamoReplayGuard(dynamo, config.tableName(), clock), keys, clock,
                    new DynamoFederationRules(dynamo, config.tableName()));
        }
    }

    /**
     * The wired API, the grants it serves (which SnapStart priming reads), and what warms it up before its first
     * request: the signing keys' first load, started in the background.
     */
    public record Application(TokenIssuerApi api, Grants grants, Runnable warmUp) {
    }

    /** The grants this service offers, in the order discovery lists them. Adding a grant is a line here. */
    static List<Grant> grants(IssuerConfig config, Backends backends) {
        return List.of(
                new ClientCredentialsGrant(),
                new JwtBearerGrant(backends.credentials(), backends.replayGuard(), AssertionRules.from(config),
                        backends.clock()),
                FederationWiring.tokenExchange(config, backends.federation(), backends.replayGuard(), backends.clock()));
    }

    /**
     * The wiring.
     *
     * @param extraGrants grants served besides this service's own (a test registers one here)
     */
    public static Application wire(IssuerConfig config, Backends backends, RequestLog log, List<Grant> extraGrants) {
        List<Grant> grantList = new ArrayList<>(grants(config, backends));
        grantList.addAll(extraGrants);
        Grants grants = new Grants(grantList, List.of(
                new PrivateKeyJwtAuthentication(backends.credentials(), backends.replayGuard(),
                        AssertionRules.forClientAuthentication(config), backends.clock()),
                new ClientSecretAuthentication(backends.credentials())),
                Optional.of(new DpopProofs(backends.replayGuard(), config.assertionClockSkew(), backends.clock())));
        AccessTokenIssuer issuer = new AccessTokenIssuer(
                backends.keys(), config.issuer(), config.tokenTtl(), config.audience(), backends.clock());
        TokenIssuerApi api = new TokenIssuerApi(
                new TokenEndpoint(grants, config.publicBaseUrl(), IssuerName.from(config), issuer),
                new JwksEndpoint(backends.keys(), config.jwksCacheMaxAgeSeconds()),
                new DiscoveryEndpoint(IssuerName.from(config), config.publicBaseUrl(), config.jwksMaxAgeSeconds(),
                        grants),
                log);
        Runnable warmUp = backends.keys() instanceof RefreshingSigningKeys refreshing ? refreshing::preloadAsync : () -> { };
        return new Application(api, grants, warmUp);
    }

    public static Application wire(IssuerConfig config, Backends backends, RequestLog log) {
        return wire(config, backends, log, List.of());
    }

    /** As deployed: configuration from the environment, SDK clients of its own, logs on stdout. */
    public static TokenIssuerApi fromEnvironment() {
        return create(IssuerConfig.fromEnvironment());
    }

    public static TokenIssuerApi create(IssuerConfig config) {
        Clients clients = Clients.from(config);
        return create(config, clients.kms(), clients.dynamo());
    }

    public static TokenIssuerApi create(IssuerConfig config, KmsClient kms, DynamoDbClient dynamo) {
        return deployed(config, kms, dynamo).api();
    }

    /** As deployed, over these clients: logs on stdout. */
    public static Application deployed(IssuerConfig config, KmsClient kms, DynamoDbClient dynamo) {
        return aws(config, kms, dynamo, new JsonLinesRequestLog(System.out, config.metricsNamespace(), Clock.systemUTC()),
                new JsonLinesSigningKeysLog(System.out));
    }

    /** Over AWS, with the given logs: SnapStart priming's twin of the API logs nothing. */
    public static Application aws(IssuerConfig config, KmsClient kms, DynamoDbClient dynamo, RequestLog log,
                                  SigningKeysLog keysLog) {
        return wire(config, Backends.aws(config, kms, dynamo, keysLog), log);
    }
}
