package dev.tokenissuer.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.tokenissuer.admin.InProcessTokenCtl.Run;
import dev.tokenissuer.store.TableSchema;
import dev.tokenissuer.testing.AwsEmulator;
import dev.tokenissuer.testing.ClientAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Base64;
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

    static Run tokenctl(String... args) {
        return tokenctlWith(env, args);
    }

    /** tokenctl in this process, with {@code environment} as its environment. */
    static Run tokenctlWith(Map<String, String> environment, String... args) {
        return InProcessTokenCtl.run(environment, args);
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
    @DisplayName("refuses an over-long org id or title with a message and stores nothing")
    void refusesOverLongOrgIdsAndTitles() {
        int itemsBefore = dynamo.scan(r -> r.tableName(table)).count();

        Run longOrg = tokenctl("serviceuser", "create", "--org", "o".repeat(5000), "--title", "worker");
        Run longTitle = tokenctl("serviceuser", "create", "--org", "org-1", "--title", "t".repeat(257));
        String user = newServiceUser();
        Run longSecretTitle = tokenctl("secret", "create", user, "--title", "t".repeat(300));

        assertThat(longOrg.status()).isEqualTo(1);
        assertThat(longOrg.err()).contains("the org id is 5000 characters long; at most 256 are allowed");
        assertThat(longTitle.status()).isEqualTo(1);
        assertThat(longTitle.err()).contains("the title is 257 characters long; at most 256 are allowed");
        assertThat(longSecretTitle.status()).isEqualTo(1);
        assertThat(longSecretTitle.err()).contains("the title is 300 characters long");
        assertThat(dynamo.scan(r -> r.tableName(table)).count()).isEqualTo(itemsBefore + 1);
        assertThat(tokenctl("serviceuser", "create", "--org", "o".repeat(256), "--title", "t".repeat(256))
                .status()).isZero();
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
    @DisplayName("a disable wins against eight operators creating secrets at the same time, and reaches every secret")
    void disableWinsAgainstManyWriters() throws Exception {
        String user = newServiceUser();
        int writers = 8;
        int secretsEach = 8;
        java.util.concurrent.CountDownLatch firstCreated = new java.util.concurrent.CountDownLatch(writers);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<List<Run>>> creates = new ArrayList<>();
        Run disable;
        long disableMillis;
        try {
            for (int w = 0; w < writers; w++) {
                creates.add(pool.submit(() -> {
                    List<Run> runs = new ArrayList<>();
                    for (int i = 0; i < secretsEach; i++) {
                        runs.add(tokenctl("secret", "create", user));
                        firstCreated.countDown();
                    }
                    return runs;
                }));
            }
            assertThat(firstCreated.await(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            long start = System.nanoTime();
            disable = tokenctl("serviceuser", "disable", user);
            disableMillis = (System.nanoTime() - start) / 1_000_000;
            for (Future<List<Run>> create : creates) {
                create.get(120, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(disable.status()).as(disable.err()).isZero();
        assertThat(disableMillis).isLessThan(ConflictRetry.BUDGET.toMillis());
        JsonNode after = tokenctl("serviceuser", "get", user).json();
        assertThat(after.get("state").asText()).isEqualTo("disabled");
        List<String> created = new ArrayList<>();
        for (Future<List<Run>> create : creates) {
            for (Run run : create.get()) {
                assertThat(run.status()).as(run.err()).isZero();
                created.add(run.json().get("client_id").asText());
            }
        }
        assertThat(created).hasSize(writers * secretsEach);
        assertThat(after.get("credentials")).hasSize(writers * secretsEach);
        assertThat(created).allSatisfy(clientId -> assertThat(credentialState(clientId)).isEqualTo("disabled"));
        System.out.println("disable against " + writers + " writers took " + disableMillis + " ms");
    }

    @Test
    @DisplayName("secret delete and key delete take the ids in upper case, as the API does")
    void deletesTakeUpperCaseIds() {
        String user = newServiceUser();
        String clientId = tokenctl("secret", "create", user).json().get("client_id").asText();
        String kid = tokenctl("key", "create", user).json().get("kid").asText();

        Run secret = tokenctl("secret", "delete", clientId.toUpperCase(java.util.Locale.ROOT));
        Run key = tokenctl("key", "delete", kid.toUpperCase(java.util.Locale.ROOT));

        assertThat(secret.status()).as(secret.err()).isZero();
        assertThat(secret.json().get("client_id").asText()).isEqualTo(clientId);
        assertThat(key.status()).as(key.err()).isZero();
        assertThat(key.json().get("kid").asText()).isEqualTo(kid);
        assertThat(tokenctl("serviceuser", "get", user.toUpperCase(java.util.Locale.ROOT)).json()
                .get("credentials")).isEmpty();
        assertThat(item(TableSchema.clientSecretKey(clientId))).isEmpty();
    }

    @Test
    @DisplayName("an id that is not a UUID is not found, and is not echoed")
    void malformedIdsAreNotFound() {
        Run secret = tokenctl("secret", "delete", "not-a-uuid");
        Run key = tokenctl("key", "delete", "not-a-uuid");

        assertThat(secret.status()).isEqualTo(1);
        assertThat(secret.err()).contains("no client secret").doesNotContain("not-a-uuid");
        assertThat(key.status()).isEqualTo(1);
        assertThat(key.err()).contains("no key").doesNotContain("not-a-uuid");
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
                "serviceuser enable", "secret create", "secret delete", "key create", "key add", "key list",
                "key delete", "serve", "signing-key create", "signing-key rotate", "signing-key list",
                "signing-key retire")) {
            assertThat(overview.out()).contains(command);
            List<String> args = new ArrayList<>(List.of(command.split(" ")));
            args.add("--help");
            Run help = tokenctl(args.toArray(String[]::new));
            assertThat(help.status()).as(command).isZero();
            assertThat(help.out()).startsWith("usage: tokenctl " + command);
        }
    }

    @Test
    @DisplayName("key create prints Frontier's key file, and stores only the public key")
    void keyCreatePrintsFrontiersKeyFile() throws Exception {
        String user = newServiceUser();

        Run run = tokenctl("key", "create", user, "--title", "ci");

        assertThat(run.status()).as(run.err()).isZero();
        JsonNode file = run.json();
        assertThat(file.properties()).extracting(Map.Entry::getKey)
                .containsExactly("type", "kid", "principal_id", "private_key");
        assertThat(file.get("type").asText()).isEqualTo("sv_rsa");
        assertThat(file.get("principal_id").asText()).isEqualTo(user);
        String kid = file.get("kid").asText();
        assertThat(UUID.fromString(kid).toString()).isEqualTo(kid);
        String pem = file.get("private_key").asText();
        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("\n-----END PRIVATE KEY-----\n");
        RSAPrivateCrtKey privateKey = (RSAPrivateCrtKey) ClientAssertions.privateKeyFromPem(pem);
        assertThat(privateKey.getModulus().bitLength()).isEqualTo(2048);

        Map<String, AttributeValue> item = item(TableSchema.publicKeyKey(kid));
        RSAKey stored = RSAKey.parse(item.get(TableSchema.PUBLIC_JWK).s());
        assertThat(stored.isPrivate()).isFalse();
        assertThat(stored.getModulus().decodeToBigInteger()).isEqualTo(privateKey.getModulus());
        assertThat(stored.getKeyID()).isEqualTo(kid);
        assertThat(item.get(TableSchema.ALG_FAMILY).s()).isEqualTo("RSA");
        assertThat(item.get(TableSchema.TITLE).s()).isEqualTo("ci");
        assertThat(dynamo.scan(r -> r.tableName(table)).items().toString())
                .doesNotContain(privateKey.getPrivateExponent().toString(16))
                .doesNotContain(pem.lines().skip(1).findFirst().orElseThrow());
    }

    @Test
    @DisplayName("key add registers a PEM RSA key and a JWK EC P-256 key, and key list shows them")
    void keyAddAndList(@TempDir Path dir) throws Exception {
        String user = newServiceUser();
        RSAKey rsa = new RSAKeyGenerator(3072).generate();
        ECKey ec = new ECKeyGenerator(Curve.P_256).generate();
        Path pem = Files.writeString(dir.resolve("rsa.pem"), "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(rsa.toRSAPublicKey().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        Path jwk = Files.writeString(dir.resolve("ec.jwk"), ec.toPublicJWK().toJSONString());

        Run addedRsa = tokenctl("key", "add", user, "--public-key", pem.toString(), "--title", "laptop");
        Run addedEc = tokenctl("key", "add", user, "--public-key", jwk.toString());
        Run list = tokenctl("key", "list", user);

        assertThat(addedRsa.status()).as(addedRsa.err()).isZero();
        assertThat(addedEc.status()).as(addedEc.err()).isZero();
        assertThat(addedRsa.json().get("principal_id").asText()).isEqualTo(user);
        assertThat(addedRsa.json().get("alg_family").asText()).isEqualTo("RSA");
        assertThat(addedEc.json().get("alg_family").asText()).isEqualTo("EC");
        assertThat(addedRsa.out()).doesNotContain("private");
        JsonNode keys = list.json().get("keys");
        assertThat(keys).hasSize(2);
        assertThat(keys).extracting(key -> key.get("kid").asText())
                .containsExactlyInAnyOrder(addedRsa.json().get("kid").asText(), addedEc.json().get("kid").asText());
        assertThat(keys).allSatisfy(key -> {
            assertThat(key.get("state").asText()).isEqualTo("enabled");
            assertThat(key.get("public_key").has("d")).isFalse();
        });
        assertThat(ECKey.parse(item(TableSchema.publicKeyKey(addedEc.json().get("kid").asText()))
                .get(TableSchema.PUBLIC_JWK).s()).toECPublicKey()).isEqualTo(ec.toECPublicKey());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"RSA 1024", "EC P-384", "a private key PEM", "a private JWK", "an RSA PUBLIC KEY (PKCS#1)",
            "an HMAC key", "not a key"})
    @DisplayName("key add refuses weak keys, other curves, private keys and other files")
    void keyAddRefuses(String what, @TempDir Path dir) throws Exception {
        String user = newServiceUser();
        KeyPairGenerator weak = KeyPairGenerator.getInstance("RSA");
        weak.initialize(1024);
        RSAKey rsa = new RSAKeyGenerator(2048).generate();
        String content = switch (what) {
            case "RSA 1024" -> new RSAKey.Builder((RSAPublicKey) weak.generateKeyPair().getPublic()).build()
                    .toJSONString();
            case "EC P-384" -> new ECKeyGenerator(Curve.P_384).generate().toPublicJWK().toJSONString();
            case "a private key PEM" -> "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder().encodeToString(rsa.toPrivateKey().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
            case "a private JWK" -> rsa.toJSONString();
            case "an RSA PUBLIC KEY (PKCS#1)" -> "-----BEGIN RSA PUBLIC KEY-----\nMAo=\n-----END RSA PUBLIC KEY-----\n";
            case "an HMAC key" -> "{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}";
            default -> "hello";
        };
        Path file = Files.writeString(dir.resolve("key"), content);

        Run run = tokenctl("key", "add", user, "--public-key", file.toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("tokenctl: ").doesNotContain(content.strip().lines().skip(1)
                .findFirst().orElse("\u0000"));
        assertThat(tokenctl("key", "list", user).json().get("keys")).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "an even modulus | the RSA modulus is even",
            "exponent 3 | the RSA public exponent must be 65537, not 3",
            "a 16384-bit modulus and a 64-bit exponent | the RSA key has 16384 bits; use 2048 to 4096",
            "a modulus with factor 3 | the RSA modulus is divisible by 3"})
    @DisplayName("key add refuses an unsound RSA key and says why")
    void keyAddSaysWhy(String what, String reason, @TempDir Path dir) throws Exception {
        String user = newServiceUser();
        java.security.SecureRandom random = new java.security.SecureRandom();
        java.math.BigInteger real = new RSAKeyGenerator(2048).generate().getModulus().decodeToBigInteger();
        java.math.BigInteger f4 = java.math.BigInteger.valueOf(65_537);
        RSAKey key = switch (what) {
            case "an even modulus" -> rsa(real.subtract(java.math.BigInteger.ONE), f4);
            case "exponent 3" -> rsa(real, java.math.BigInteger.valueOf(3));
            case "a modulus with factor 3" -> rsa(java.math.BigInteger.probablePrime(2047, random)
                    .multiply(java.math.BigInteger.valueOf(3)), f4);
            default -> rsa(new java.math.BigInteger(16_384, random).setBit(16_383).setBit(0),
                    java.math.BigInteger.TWO.pow(64).add(java.math.BigInteger.ONE));
        };
        Path file = Files.writeString(dir.resolve("key.jwk"), key.toJSONString());

        Run run = tokenctl("key", "add", user, "--public-key", file.toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).startsWith("tokenctl: " + reason);
        assertThat(tokenctl("key", "list", user).json().get("keys")).isEmpty();
    }

    private static RSAKey rsa(java.math.BigInteger modulus, java.math.BigInteger exponent) {
        return new RSAKey.Builder(com.nimbusds.jose.util.Base64URL.encode(modulus),
                com.nimbusds.jose.util.Base64URL.encode(exponent)).build();
    }

    @Test
    void deletesAKeyOnce() {
        String user = newServiceUser();
        String kid = tokenctl("key", "create", user).json().get("kid").asText();

        Run deleted = tokenctl("key", "delete", kid);
        Run again = tokenctl("key", "delete", kid);

        assertThat(deleted.status()).isZero();
        assertThat(deleted.json().get("deleted").asBoolean()).isTrue();
        assertThat(again.status()).isEqualTo(1);
        assertThat(again.err()).contains("no key");
        assertThat(tokenctl("key", "list", user).json().get("keys")).isEmpty();
        assertThat(tokenctl("serviceuser", "get", user).json().get("credentials")).isEmpty();
    }

    @Test
    @DisplayName("disable and enable reach the service user's keys too")
    void disableReachesKeys() {
        String user = newServiceUser();
        String kid = tokenctl("key", "create", user).json().get("kid").asText();

        tokenctl("serviceuser", "disable", user);
        String disabled = item(TableSchema.publicKeyKey(kid)).get(TableSchema.STATE).s();
        tokenctl("serviceuser", "enable", user);

        assertThat(disabled).isEqualTo("disabled");
        assertThat(item(TableSchema.publicKeyKey(kid)).get(TableSchema.STATE).s()).isEqualTo("enabled");
        assertThat(tokenctl("serviceuser", "get", user).json().get("credentials").toString())
                .contains(TableSchema.publicKeyKey(kid));
    }

    @Test
    void refusesAKeyForAnUnknownServiceUser() {
        Run run = tokenctl("key", "create", UUID.randomUUID().toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("no service user");
        assertThat(run.out()).isEmpty();
    }

    private static String credentialState(String clientId) {
        return item(TableSchema.clientSecretKey(clientId)).get(TableSchema.STATE).s();
    }

    private static Map<String, AttributeValue> item(String key) {
        return dynamo.getItem(r -> r.tableName(table).consistentRead(true).key(Map.of(TableSchema.PARTITION_KEY,
                AttributeValue.fromS(key)))).item();
    }
}
