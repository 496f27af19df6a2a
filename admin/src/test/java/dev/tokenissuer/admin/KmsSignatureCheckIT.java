package dev.tokenissuer.admin;

import dev.tokenissuer.admin.InProcessTokenCtl.Run;
import dev.tokenissuer.testing.AwsEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * bootstrap and serve sign and verify a test value through the configured KMS before going on: the project's
 * emulator passes; a plain moto_server, which hashes a DIGEST message again, is refused with the cause named.
 */
class KmsSignatureCheckIT {

    private static Process plainMoto;
    private static String plainMotoUrl;

    @BeforeAll
    static void startPlainMoto() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        plainMoto = new ProcessBuilder("python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(new File(System.getProperty("java.io.tmpdir"),
                        "plain-moto-" + port + ".log")).start();
        plainMotoUrl = "http://127.0.0.1:" + port;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!answers(plainMotoUrl + "/moto-api/")) {
            assertThat(plainMoto.isAlive()).as("plain moto_server exited").isTrue();
            assertThat(System.nanoTime()).as("plain moto_server did not answer within 30 s").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    @AfterAll
    static void stopPlainMoto() {
        if (plainMoto != null) {
            plainMoto.destroy();
        }
    }

    private static boolean answers(String url) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
            connection.setConnectTimeout(500);
            return connection.getResponseCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private static Map<String, String> environment(String endpoint) {
        Map<String, String> env = new HashMap<>(AwsEmulator.environment("check-" + UUID.randomUUID(),
                "alias/check-" + UUID.randomUUID()));
        env.put("AWS_ENDPOINT_URL", endpoint);
        return env;
    }

    @Test
    @DisplayName("bootstrap goes on against the project's emulator, for an RSA and a P-256 key")
    void projectEmulatorPasses() {
        Run rsa = InProcessTokenCtl.run(environment(AwsEmulator.endpoint().toString()), "bootstrap");
        Run ec = InProcessTokenCtl.run(environment(AwsEmulator.endpoint().toString()), "bootstrap",
                "--key-spec", "ECC_NIST_P256");

        assertThat(rsa.status()).as(rsa.err()).isZero();
        assertThat(ec.status()).as(ec.err()).isZero();
        assertThat(rsa.err()).isEmpty();
    }

    @Test
    @DisplayName("bootstrap against a plain moto_server refuses and says that it hashed the digest again")
    void plainMotoIsRefusedByBootstrap() {
        Run run = InProcessTokenCtl.run(environment(plainMotoUrl), "bootstrap");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("tokenctl: The KMS at " + plainMotoUrl)
                .contains("does not verify").contains("hashed the DIGEST message again").contains("moto_server")
                .contains("scripts/aws_emulator.py").contains("LocalStack");
    }

    @Test
    @DisplayName("serve against a plain moto_server refuses before it listens")
    void plainMotoIsRefusedByServe() {
        Map<String, String> env = environment(plainMotoUrl);
        // bootstrap refuses too, but only after it made the table and the P-256 key serve then signs with.
        assertThat(InProcessTokenCtl.run(env, "bootstrap", "--key-spec", "ECC_NIST_P256").status()).isEqualTo(1);

        Run run = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> InProcessTokenCtl.run(env, "serve", "--port", "0"));

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("does not verify").contains("hashed the DIGEST message again")
                .doesNotContain("serving");
    }
}
