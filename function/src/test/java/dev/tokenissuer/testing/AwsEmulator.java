package dev.tokenissuer.testing;

import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The AWS API emulator the integration tests talk to over HTTP: the one {@code AWS_ENDPOINT_URL} names (what
 * {@code make test} starts, or LocalStack, or a real account), or else moto (through {@code scripts/aws_emulator.py})
 * that this JVM starts on a free loopback port and stops when it exits. Never a mock: every call crosses the wire.
 */
public final class AwsEmulator {

    private static URI endpoint;

    private AwsEmulator() {
    }

    public static synchronized URI endpoint() {
        if (endpoint == null) {
            defaultCredentials();
            String configured = System.getenv("AWS_ENDPOINT_URL");
            endpoint = configured != null && !configured.isBlank() ? URI.create(configured.trim()) : startMoto();
        }
        return endpoint;
    }

    /** Environment for code that reads its configuration from a map, pointing at the emulator. */
    public static Map<String, String> environment(String tableName, String signingKeyId) {
        return Map.of(
                "AWS_ENDPOINT_URL", endpoint().toString(),
                "TABLE_NAME", tableName,
                "SIGNING_KEY_ID", signingKeyId);
    }

    public static KmsClient kms(ExecutionInterceptor... interceptors) {
        return configure(KmsClient.builder(), interceptors).build();
    }

    public static DynamoDbClient dynamo(ExecutionInterceptor... interceptors) {
        return configure(DynamoDbClient.builder(), interceptors).build();
    }

    private static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configure(
            B builder, ExecutionInterceptor... interceptors) {
        return builder
                .endpointOverride(endpoint())
                .region(region())
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> List.of(interceptors).forEach(c::addExecutionInterceptor));
    }

    /** A new, empty table shaped like the real one, under a unique name. */
    public static String newTable(DynamoDbClient dynamo) {
        String name = "test-" + UUID.randomUUID();
        dynamo.createTable(r -> r.tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder()
                        .attributeName("pk").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build()));
        dynamo.waiter().waitUntilTableExists(r -> r.tableName(name));
        return name;
    }

    /** A new KMS signing key of the given spec; returns its key id. */
    public static String newSigningKey(KmsClient kms, KeySpec spec) {
        return kms.createKey(r -> r.keySpec(spec).keyUsage(KeyUsageType.SIGN_VERIFY)
                .description("token-issuer test key")).keyMetadata().keyId();
    }

    private static Region region() {
        String region = System.getenv("AWS_REGION");
        return Region.of(region == null || region.isBlank() ? "us-east-1" : region);
    }

    /** The SDK reads system properties before the environment; tests need some credentials, any will do. */
    private static void defaultCredentials() {
        if (System.getenv("AWS_ACCESS_KEY_ID") == null && System.getProperty("aws.accessKeyId") == null) {
            System.setProperty("aws.accessKeyId", "test");
            System.setProperty("aws.secretAccessKey", "test");
        }
        if (System.getenv("AWS_REGION") == null && System.getProperty("aws.region") == null) {
            System.setProperty("aws.region", "us-east-1");
        }
    }

    private static URI startMoto() {
        try {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Path log = Files.createTempFile("moto-", ".log");
            Path launcher = launcher();
            Process moto = new ProcessBuilder("python3", launcher.toString(), "--host", "127.0.0.1",
                    "--port", Integer.toString(port))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(moto::destroy));
            URI uri = URI.create("http://127.0.0.1:" + port);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                if (!moto.isAlive()) {
                    throw new IllegalStateException("the AWS emulator exited: " + Files.readString(log));
                }
                if (answers(uri)) {
                    return uri;
                }
                Thread.sleep(200);
            }
            throw new IllegalStateException("the AWS emulator did not answer on " + uri);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the AWS emulator (pip install 'moto[server]')", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** scripts/aws_emulator.py: moto, serialized as the real services are; found from any module directory. */
    private static Path launcher() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("scripts").resolve("aws_emulator.py");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("scripts/aws_emulator.py not found above " + Path.of("").toAbsolutePath());
    }

    private static boolean answers(URI uri) {
        try {
            HttpURLConnection connection = (HttpURLConnection) new URL(uri + "/moto-api/").openConnection();
            connection.setConnectTimeout(500);
            connection.setReadTimeout(2000);
            return connection.getResponseCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }
}
