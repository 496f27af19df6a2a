package dev.tokenissuer.lambda;

import dev.tokenissuer.api.DiscoveryEndpoint;
import dev.tokenissuer.api.HealthEndpoint;
import dev.tokenissuer.api.IssuerName;
import dev.tokenissuer.api.JwksEndpoint;
import dev.tokenissuer.api.RequestLog;
import dev.tokenissuer.api.TokenEndpoint;
import dev.tokenissuer.api.TokenIssuerApi;
import dev.tokenissuer.aws.AwsClients;
import dev.tokenissuer.config.IssuerConfig;
import dev.tokenissuer.config.RegionConfig;
import dev.tokenissuer.grant.AssertionRules;
import dev.tokenissuer.grant.ClientCredentialsGrant;
import dev.tokenissuer.grant.ClientSecretAuthentication;
import dev.tokenissuer.grant.DpopProofs;
import dev.tokenissuer.grant.Grant;
import dev.tokenissuer.grant.Grants;
import dev.tokenissuer.grant.JwtBearerGrant;
import dev.tokenissuer.grant.PrivateKeyJwtAuthentication;
import dev.tokenissuer.observability.JsonLinesRequestLog;
import dev.tokenissuer.observability.JsonLinesSigningKeysLog;
import dev.tokenissuer.signing.KeySetLoader;
import dev.tokenissuer.signing.KmsAnswers;
import dev.tokenissuer.signing.RefreshingSigningKeys;
import dev.tokenissuer.signing.SigningKeys;
import dev.tokenissuer.signing.SigningKeysLog;
import dev.tokenissuer.store.CredentialStore;
import dev.tokenissuer.store.DynamoCredentialStore;
import dev.tokenissuer.store.DynamoFederationRules;
import dev.tokenissuer.store.FederationRules;
import dev.tokenissuer.store.DynamoReplayGuard;
import dev.tokenissuer.store.DynamoVerificationSetStore;
import dev.tokenissuer.store.ReplayGuard;
import dev.tokenissuer.token.AccessTokenIssuer;
import dev.tokenissuer.token.AccessTokenProfile;
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

    /**
     * The SDK clients the API calls AWS with: one HTTP client under KMS and DynamoDB, and a DynamoDB client of the
     * replay records' home region when that is another ({@link RegionConfig}). Closing closes them all.
     */
    public record Clients(SdkHttpClient http, KmsClient kms, DynamoDbClient dynamo, DynamoDbClient replayDynamo)
            implements AutoCloseable {

        public static Clients from(IssuerConfig config) {
            SdkHttpClient http = AwsClients.httpClient(config.awsCallTimeout());
            DynamoDbClient dynamo = AwsClients.dynamo(http, config.awsCallTimeout(), config.awsEndpoint());
            return new Clients(http,
                    AwsClients.kms(http, config.awsCallTimeout(), config.awsEndpoint()), dynamo,
                    RegionConfig.fromEnvironment().replayRegion()
                            .map(region -> AwsClients.dynamo(http, config.awsCallTimeout(), config.awsEndpoint(),
                                    region))
                            .orElse(dynamo));
        }

        @Override
        public void close() {
            kms.close();
            if (replayDynamo != dynamo) {
                replayDynamo.close();
            }
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

        /**
         * DynamoDB and KMS, as deployed: replay records in {@code replayDynamo}'s region (a multi-region deployment's
         * primary; {@code dynamo} itself in one region).
         */
        public static Backends aws(IssuerConfig config, KmsClient kms, DynamoDbClient dynamo,
                                   DynamoDbClient replayDynamo, SigningKeysLog keysLog) {
            Clock clock = Clock.systemUTC();
            KmsAnswers answers = new KmsAnswers(clock);
            RefreshingSigningKeys keys = new RefreshingSigningKeys(
                    KeySetLoader.kms(kms, config.signingKeyId(),
                            new DynamoVerificationSetStore(dynamo, config.tableName()), keysLog, answers),
                    config.signingKeysRefresh(), clock, keysLog, Optional.of(answers));
            return new Backends(new DynamoCredentialStore(dynamo, config.tableName()),
                    new DynamoReplayGuard(replayDynamo, config.tableName(), clock), keys, clock,
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
     * The wiring, for an instance in {@code region} (which its health check names).
     *
     * @param extraGrants grants served besides this service's own (a test registers one here)
     */
    public static Application wire(IssuerConfig config, Backends backends, RequestLog log, List<Grant> extraGrants,
                                   String region) {
        List<Grant> grantList = new ArrayList<>(grants(config, backends));
        grantList.addAll(extraGrants);
        Grants grants = new Grants(grantList, List.of(
                new PrivateKeyJwtAuthentication(backends.credentials(), backends.replayGuard(),
                        AssertionRules.forClientAuthentication(config), backends.clock()),
                new ClientSecretAuthentication(backends.credentials(), backends.clock())),
                Optional.of(new DpopProofs(backends.replayGuard(), config.assertionClockSkew(), backends.clock())),
                config.audience());
        AccessTokenIssuer issuer = new AccessTokenIssuer(backends.keys(), config.tokenTtl(), config.tokenMaxTtl(),
                config.audience(), AccessTokenProfile.named(config.accessTokenProfile()), backends.clock());
        TokenIssuerApi api = new TokenIssuerApi(
                new TokenEndpoint(grants, config.publicBaseUrl(), IssuerName.from(config), issuer),
                new JwksEndpoint(backends.keys(), config.jwksCacheMaxAgeSeconds()),
                new DiscoveryEndpoint(IssuerName.from(config), config.publicBaseUrl(), config.jwksCacheMaxAgeSeconds(),
                        grants, backends.keys()),
                Optional.of(new HealthEndpoint(backends.keys(), region)),
                log);
        Runnable warmUp = backends.keys() instanceof RefreshingSigningKeys refreshing ? refreshing::preloadAsync : () -> { };
        return new Application(api, grants, warmUp);
    }

    /** The wiring, for an instance in the region of the environment (RegionConfig), serving this service's grants. */
    public static Application wire(IssuerConfig config, Backends backends, RequestLog log) {
        return wire(config, backends, log, List.of(), RegionConfig.fromEnvironment().region().orElse(""));
    }

    /** As deployed, over these clients (replay records in {@code replayDynamo}'s region): logs on stdout. */
    public static Application deployed(IssuerConfig config, KmsClient kms, DynamoDbClient dynamo,
                                       DynamoDbClient replayDynamo) {
        return wire(config, Backends.aws(config, kms, dynamo, replayDynamo, new JsonLinesSigningKeysLog(System.out)),
                new JsonLinesRequestLog(System.out, config.metricsNamespace(), Clock.systemUTC()));
    }
}
