package dev.tokenissuer.admin;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL 15 of the test's own, from the machine's binaries ({@code POSTGRES_BIN}, default
 * /usr/lib/postgresql/15/bin): a fresh data directory in a temporary folder, a free port on loopback, password
 * authentication over TCP, removed on {@link #close}. initdb refuses to run as root, so as root it runs as the
 * {@code postgres} user (runuser).
 */
public final class LocalPostgres implements AutoCloseable {

    public static final String USER = "frontier";
    public static final String PASSWORD = "frontier-pw";

    private final Path dir;
    private final int port;
    private final String bin;

    private LocalPostgres(Path dir, int port, String bin) {
        this.dir = dir;
        this.port = port;
        this.bin = bin;
    }

    public static LocalPostgres start() throws Exception {
        String bin = System.getenv().getOrDefault("POSTGRES_BIN", "/usr/lib/postgresql/15/bin");
        Path dir = Files.createTempDirectory("frontier-pg-");
        Path data = dir.resolve("data");
        Path pwfile = dir.resolve("pw");
        Files.writeString(pwfile, PASSWORD + "\n");
        if (asRoot()) {
            run(List.of("chown", "-R", "postgres", dir.toString()));
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        run(asPostgres(List.of(bin + "/initdb", "-D", data.toString(), "-U", USER, "--pwfile=" + pwfile,
                "--auth-local=scram-sha-256", "--auth-host=scram-sha-256", "--no-sync", "-E", "UTF8")));
        run(asPostgres(List.of(bin + "/pg_ctl", "-D", data.toString(), "-w", "-t", "60", "-l",
                dir.resolve("log").toString(), "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1"
                        + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off", "start")));
        return new LocalPostgres(dir, port, bin);
    }

    public int port() {
        return port;
    }

    /** postgres://USER:PASSWORD@127.0.0.1:PORT/DB */
    public String url(String database) {
        return "postgres://" + USER + ":" + PASSWORD + "@127.0.0.1:" + port + "/" + database;
    }

    public Connection connect(String database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", USER);
        properties.setProperty("password", PASSWORD);
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, properties);
    }

    /** A new database with Frontier's tables: as its first migration made them, or with v0.9.1's type column. */
    public String newFrontierDatabase(boolean typeColumn) throws Exception {
        String name = "frontier_" + Long.toHexString(System.nanoTime());
        try (Connection connection = connect("postgres")) {
            connection.createStatement().execute("CREATE DATABASE " + name);
        }
        try (Connection connection = connect(name)) {
            connection.createStatement().execute(resource("schema.sql"));
            if (typeColumn) {
                connection.createStatement().execute(resource("schema-v0.9.1.sql"));
            }
        }
        return name;
    }

    private static String resource(String name) throws IOException {
        try (var in = LocalPostgres.class.getResourceAsStream("/frontier/" + name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            run(asPostgres(List.of(bin + "/pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "-w",
                    "stop")));
        } finally {
            run(List.of("rm", "-rf", dir.toString()));
        }
    }

    private static boolean asRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static List<String> asPostgres(List<String> command) {
        if (!asRoot()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    private static void run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }
}
