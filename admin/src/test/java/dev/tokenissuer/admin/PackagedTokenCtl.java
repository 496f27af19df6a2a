package dev.tokenissuer.admin;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged tokenctl jar as an operator runs it, for the tests that drive it as a process (serve, and commands). */
final class PackagedTokenCtl {

    static final Path JAR = Path.of("target", "tokenctl.jar");

    private PackagedTokenCtl() {
    }

    /** {@code java -jar tokenctl.jar ARGS...} with {@code environment} added to this process's. */
    static ProcessBuilder process(Map<String, String> environment, List<String> args) {
        assertThat(JAR).as("the packaged tokenctl (mvn package)").exists();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        return builder;
    }

    /** A free loopback port, for a server about to listen on it. */
    static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** {@code tokenctl serve --port PORT}, its output in {@code log}, returned once it listens. */
    static Process serve(Map<String, String> environment, int port, Path log) throws Exception {
        Process server = process(environment, List.of("serve", "--port", Integer.toString(port)))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            waitForPort(server, log, port);
        } catch (Exception | AssertionError e) {
            server.destroy();  // the caller never gets it to stop
            throw e;
        }
        return server;
    }

    /** Waits up to 30 s until {@code server} (tokenctl serve, logging to {@code log}) listens on {@code port}. */
    static void waitForPort(Process server, Path log, int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new AssertionError("tokenctl serve exited: " + Files.readString(log));
            }
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("tokenctl serve did not listen on " + port + ": " + Files.readString(log));
    }
}
