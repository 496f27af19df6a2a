package dev.tokenissuer.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tokenissuer.config.IssuerConfig;
import dev.tokenissuer.testing.TestCredentials;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeySpec;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the sample events in {@code events/} need to get their documented answers: a table and a signing key with its
 * alias, and a service user holding the fixed client id and secret the client_credentials samples carry
 * ({@link TestCredentials}). Provisioned by {@link EventsIT}, and by the emulator test ({@code scripts/lambda_rie.py}),
 * which runs {@link #main} with {@code TABLE_NAME}, {@code SIGNING_KEY_ID} and the AWS settings in the environment.
 */
final class SampleEventsFixture {

    private SampleEventsFixture() {
    }

    /** Creates the table and the key if missing, then the service user and the samples' credential. */
    static Map<String, Object> provision(DynamoDbClient dynamo, KmsClient kms, String table, String signingKeyAlias,
                                         KeySpec keySpec) {
        Map<String, Object> result = new LinkedHashMap<>(new Bootstrap(dynamo, kms).run(table, signingKeyAlias, keySpec));
        AdminStore store = new AdminStore(dynamo, table, Clock.systemUTC());
        String user = store.createServiceUser("org-events", "sample events").id();
        store.importSecret(user, "sample events", TestCredentials.CLIENT_ID, TestCredentials.CLIENT_SECRET);
        result.put("service_user_id", user);
        result.put("client_id", TestCredentials.CLIENT_ID);
        return result;
    }

    /** {@code SampleEventsFixture [KEY_SPEC]}: provisions what TABLE_NAME and SIGNING_KEY_ID (an alias) name. */
    public static void main(String[] args) throws Exception {
        KeySpec keySpec = KeySpec.fromValue(args.length > 0 ? args[0] : "RSA_2048");
        if (keySpec == KeySpec.UNKNOWN_TO_SDK_VERSION) {
            throw new IllegalArgumentException("unknown KMS key spec " + args[0]);
        }
        IssuerConfig config = IssuerConfig.fromEnvironment();
        try (AdminContext context = new AdminContext(config, System.getenv(), System.err)) {
            Map<String, Object> result = provision(context.dynamo(), context.kms(), config.tableName(),
                    config.signingKeyId(), keySpec);
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result));
        }
    }
}
