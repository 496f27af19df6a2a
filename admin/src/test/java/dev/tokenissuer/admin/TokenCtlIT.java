package dev.tokenissuer.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenissuer.store.TableSchema;
import dev.tokenissuer.testing.AwsEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** tokenctl's commands against the emulator, as an operator runs them: JSON on stdout, errors on stderr. */
class TokenCtlIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Map<String, String> env;
    private static String table;
    private static DynamoDbClient dynamo;

    record Run(int status, String out, String err) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (Exception e) {
                throw new AssertionError("stdout is not JSON: " + out + "\nstderr: " + err, e);
            }
        }
    }

    static Run tokenctl(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new TokenCtl(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env).run(args);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @BeforeAll
    static void bootstrap() {
        table = "tokenctl-" + UUID.randomUUID();
        env = AwsEmulator.environment(table, "alias/tokenctl-" + UUID.randomUUID());
        dynamo = AwsEmulator.dynamo();
        assertThat(tokenctl("bootstrap").status()).isZero();
    }

    @AfterAll
    static void close() {
        dynamo.close();
    }

    private static String newServiceUser() {
        return tokenctl("serviceuser", "create", "--org", "org-1", "--title", "worker").json().get("id").asText();
    }

    @Test
    @DisplayName("bootstrap is idempotent: a second run creates nothing")
    void bootstrapTwice() {
        Run again = tokenctl("bootstrap");

        assertThat(again.status()).isZero();
        assertThat(again.json().get("table_created").asBoolean()).isFalse();
        assertThat(again.json().get("signing_key_created").asBoolean()).isFalse();
    }

    @Test
    void createsAnEnabledServiceUser() {
        Run run = tokenctl("serviceuser", "create", "--org", "org-9", "--title", "nightly export");

        assertThat(run.status()).isZero();
        JsonNode user = run.json();
        assertThat(UUID.fromString(user.get("id").asText())).isNotNull();
        assertThat(user.get("org_id").asText()).isEqualTo("org-9");
        assertThat(user.get("title").asText()).isEqualTo("nightly export");
        assertThat(user.get("state").asText()).isEqualTo("enabled");
    }

    @Test
    @DisplayName("creates a secret shown once and stored only as a hash")
    void createsASecretStoredOnlyAsAHash() {
        String user = newServiceUser();

        JsonNode secret = tokenctl("secret", "create", user, "--title", "ci").json();

        String clientId = secret.get("client_id").asText();
        String clientSecret = secret.get("client_secret").asText();
        assertThat(UUID.fromString(clientId)).isNotNull();
        assertThat(clientSecret).matches("[A-Za-z0-9_-]{43}");
        assertThat(secret.get("service_user_id").asText()).isEqualTo(user);
        List<Map<String, AttributeValue>> items = dynamo.scan(r -> r.tableName(table)).items();
        assertThat(items.toString()).contains(clientId).doesNotContain(clientSecret);
    }

    @Test
    @DisplayName("disable and enable reach every credential of the service user")
    void disableAndEnableReachCredentials() {
        String user = newServiceUser();
        String first = tokenctl("secret", "create", user).json().get("client_id").asText();
        String second = tokenctl("secret", "create", user).json().get("client_id").asText();

        assertThat(tokenctl("serviceuser", "disable", user).json().get("state").asText()).isEqualTo("disabled");
        assertThat(credentialState(first)).isEqualTo("disabled");
        assertThat(credentialState(second)).isEqualTo("disabled");

        assertThat(tokenctl("serviceuser", "enable", user).json().get("state").asText()).isEqualTo("enabled");
        assertThat(credentialState(first)).isEqualTo("enabled");
        assertThat(credentialState(second)).isEqualTo("enabled");
    }

    @Test
    @DisplayName("a secret created while the service user is being disabled ends up disabled too")
    void secretsRacingADisableEndUpDisabled() throws Exception {
        String user = newServiceUser();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Run>> creates = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                creates.add(pool.submit(() -> tokenctl("secret", "create", user)));
            }
            Future<Run> disable = pool.submit(() -> tokenctl("serviceuser", "disable", user));
            assertThat(disable.get().status()).isZero();
            for (Future<Run> create : creates) {
                Run run = create.get();
                if (run.status() == 0) {
                    assertThat(credentialState(run.json().get("client_id").asText())).isEqualTo("disabled");
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void deletesASecretOnce() {
        String clientId = tokenctl("secret", "create", newServiceUser()).json().get("client_id").asText();

        Run deleted = tokenctl("secret", "delete", clientId);
        Run again = tokenctl("secret", "delete", clientId);

        assertThat(deleted.status()).isZero();
        assertThat(deleted.json().get("deleted").asBoolean()).isTrue();
        assertThat(again.status()).isEqualTo(1);
        assertThat(again.err()).contains("no client secret");
        assertThat(again.out()).isEmpty();
    }

    @Test
    void refusesASecretForAnUnknownServiceUser() {
        Run run = tokenctl("secret", "create", UUID.randomUUID().toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("no service user");
    }

    @Test
    @DisplayName("explains a wrong invocation on stderr and exits 2")
    void wrongInvocations() {
        assertThat(tokenctl().status()).isEqualTo(2);
        Run unknown = tokenctl("serviceuser", "frobnicate");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown command");
        Run missingOrg = tokenctl("serviceuser", "create", "--title", "x");
        assertThat(missingOrg.status()).isEqualTo(2);
        assertThat(missingOrg.err()).contains("--org is required").contains("usage: tokenctl serviceuser create");
        Run unknownOption = tokenctl("secret", "create", "x", "--colour", "red");
        assertThat(unknownOption.status()).isEqualTo(2);
        assertThat(unknownOption.err()).contains("unknown option --colour");
    }

    @Test
    @DisplayName("has --help on every command")
    void helpEverywhere() {
        Run overview = tokenctl("--help");
        assertThat(overview.status()).isZero();
        for (String command : List.of("bootstrap", "serviceuser create", "serviceuser get", "serviceuser disable",
                "serviceuser enable", "secret create", "secret delete", "serve")) {
            assertThat(overview.out()).contains(command);
            List<String> args = new ArrayList<>(List.of(command.split(" ")));
            args.add("--help");
            Run help = tokenctl(args.toArray(String[]::new));
            assertThat(help.status()).as(command).isZero();
            assertThat(help.out()).startsWith("usage: tokenctl " + command);
        }
    }

    private static String credentialState(String clientId) {
        return dynamo.getItem(r -> r.tableName(table).consistentRead(true).key(Map.of(TableSchema.PARTITION_KEY,
                AttributeValue.fromS(TableSchema.clientSecretKey(clientId))))).item().get(TableSchema.STATE).s();
    }
}
