package dev.tokenissuer.e2e;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.tokenissuer.admin.AdminStore;
import dev.tokenissuer.admin.Bootstrap;
import dev.tokenissuer.config.IssuerConfig;
import dev.tokenissuer.lambda.TokenIssuerHandler;
import dev.tokenissuer.signing.SigningKeySpec;
import dev.tokenissuer.testing.AwsEmulator;
import dev.tokenissuer.testing.CallCounter;
import dev.tokenissuer.testing.DeployedApis;
import dev.tokenissuer.testing.HttpApiInvoker;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeySpec;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A deployment in the emulator, as the integration tests use one: a new table and signing key made by bootstrap,
 * SDK clients whose calls are counted, tokenctl's store, and the API over them through the Lambda handler.
 */
final class EmulatedDeployment implements AutoCloseable {

    final CallCounter kmsCalls = new CallCounter();
    final CallCounter dynamoCalls = new CallCounter();
    final KmsClient kms = AwsEmulator.kms(kmsCalls);
    final DynamoDbClient dynamo = AwsEmulator.dynamo(dynamoCalls);
    final AdminStore store;
    /** The function's environment; tests copy it to vary a setting. */
    final Map<String, String> environment;

    /**
     * @param name   what the table and alias are named after, made unique
     * @param issuer the tokens' {@code TOKEN_ISSUER}
     */
    EmulatedDeployment(String name, String issuer) {
        this(name, issuer, KeySpec.RSA_2048);
    }

    /** A deployment whose signing key has {@code signingKeySpec}. */
    EmulatedDeployment(String name, String issuer, KeySpec signingKeySpec) {
        String table = name + "-" + UUID.randomUUID();
        String alias = "alias/" + name + "-" + UUID.randomUUID();
        new Bootstrap(dynamo, kms).run(table, alias, SigningKeySpec.of(signingKeySpec).orElseThrow());
        store = new AdminStore(dynamo, table, Clock.systemUTC());
        Map<String, String> env = new HashMap<>(AwsEmulator.environment(table, alias));
        env.put("TOKEN_ISSUER", issuer);
        environment = Map.copyOf(env);
    }

    /** The API as a Lambda container configured with {@code env} would serve it. */
    HttpApiInvoker api(Map<String, String> env) {
        return new HttpApiInvoker(new TokenIssuerHandler(
                DeployedApis.create(IssuerConfig.from(env), kms, dynamo)));
    }

    /**
     * The API as a Lambda container configured with {@code env} would serve it, over SDK clients it builds from
     * {@code env} itself (its AWS_ENDPOINT_URL and call timeout), as the function does: for a fault proxy in between.
     */
    HttpApiInvoker api(Map<String, String> env, boolean ownClients) {
        if (!ownClients) {
            return api(env);
        }
        return new HttpApiInvoker(new TokenIssuerHandler(DeployedApis.create(IssuerConfig.from(env))));
    }

    /** Verifies a token as a resource server would: against the JWKS {@code api} publishes, with a JOSE library. */
    static JWTClaimsSet verifyAgainstJwks(HttpApiInvoker api, String token) throws Exception {
        JWKSet jwks = JWKSet.parse(api.get("/.well-known/jwks.json").body());
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, new ImmutableJWKSet<>(jwks)));
        return processor.process(token, null);
    }

    @Override
    public void close() {
        kms.close();
        dynamo.close();
    }
}
