package dev.tokenissuer.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.tokenissuer.admin.AdminStore;
import dev.tokenissuer.admin.Bootstrap;
import dev.tokenissuer.config.IssuerConfig;
import dev.tokenissuer.lambda.TokenIssuerApplication;
import dev.tokenissuer.signing.SigningKeySpec;
import dev.tokenissuer.testing.ClientAssertions;
import dev.tokenissuer.testing.TestCredentials;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeySpec;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the sample events in {@code events/} need to get their documented answers: a table and a signing key with its
 * alias, and a service user holding the fixed client id and secret the client_credentials samples carry
 * ({@link TestCredentials}) and a public key under the fixed kid {@link #EVENTS_KID}. The jwt-bearer sample carries
 * {@link #ASSERTION_PLACEHOLDER} instead of an assertion (one must be fresh and single use): put
 * {@link Provisioned#freshAssertion()} in its place. Provisioned by {@link EventsIT}, and by the emulator test
 * ({@code scripts/lambda_rie.py}), which runs {@link #main} with {@code TABLE_NAME}, {@code SIGNING_KEY_ID} and the AWS
 * settings in the environment.
 */
final class SampleEventsFixture {

    static final String EVENTS_KID = "9d3c6a52-7e1f-4b8a-a0c4-5f2e8d1b3c70";
    static final String ASSERTION_PLACEHOLDER = "ASSERTION_PLACEHOLDER";

    private SampleEventsFixture() {
    }

    /** The samples' service user and the private half of its key. */
    record Provisioned(String serviceUserId, RSAKey eventsKey, Map<String, Object> summary) {

        /** An assertion as Frontier's Go SDK builds one, valid for five minutes from now. */
        String freshAssertion() {
            return ClientAssertions.sign(ClientAssertions.frontierHeader(EVENTS_KID).build(),
                    ClientAssertions.frontierClaims(EVENTS_KID, serviceUserId, Instant.now(), Duration.ofMinutes(5))
                            .build(), eventsKey);
        }
    }

    /** Creates the table and the key if missing, then the service user and the samples' credentials. */
    static Provisioned provision(DynamoDbClient dynamo, KmsClient kms, String table, String signingKeyAlias,
                                 KeySpec keySpec) {
        Map<String, Object> summary = new LinkedHashMap<>(new Bootstrap(dynamo, kms).run(table, signingKeyAlias,
                SigningKeySpec.of(keySpec).orElseThrow()));
        AdminStore store = new AdminStore(dynamo, table, Clock.systemUTC());
        String user = store.createServiceUser("org-events", "sample events").id();
        store.importSecret(user, "sample events", TestCredentials.CLIENT_ID, TestCredentials.CLIENT_SECRET);
        RSAKey eventsKey;
        try {
            eventsKey = new RSAKeyGenerator(2048).keyID(EVENTS_KID).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        store.importKey(user, "sample events", EVENTS_KID, eventsKey.toPublicJWK());
        summary.put("service_user_id", user);
        summary.put("client_id", TestCredentials.CLIENT_ID);
        summary.put("kid", EVENTS_KID);
        return new Provisioned(user, eventsKey, summary);
    }

    /**
     * {@code SampleEventsFixture [KEY_SPEC [ASSERTIONS]]}: provisions what TABLE_NAME and SIGNING_KEY_ID (an alias)
     * name, and prints what it made, with a fresh assertion for the jwt-bearer sample and the placeholder it replaces,
     * and ASSERTIONS (default 1) fresh ones as {@code assertions}: each is single use, and the benchmark posts several.
     */
    public static void main(String[] args) throws Exception {
        KeySpec keySpec = KeySpec.fromValue(args.length > 0 ? args[0] : "RSA_2048");
        if (keySpec == KeySpec.UNKNOWN_TO_SDK_VERSION) {
            throw new IllegalArgumentException("unknown KMS key spec " + args[0]);
        }
        IssuerConfig config = IssuerConfig.fromEnvironment();
        try (TokenIssuerApplication.Clients context = TokenIssuerApplication.Clients.from(config)) {
            Provisioned provisioned = provision(context.dynamo(), context.kms(), config.tableName(),
                    config.signingKeyId(), keySpec);
            Map<String, Object> result = new LinkedHashMap<>(provisioned.summary());
            result.put("assertion_placeholder", ASSERTION_PLACEHOLDER);
            result.put("assertion", provisioned.freshAssertion());
            int count = args.length > 1 ? Integer.parseInt(args[1]) : 1;
            result.put("assertions", Stream.generate(provisioned::freshAssertion).limit(count).toList());
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            System.out.println(json.writeValueAsString(result));
        }
    }
}
