package dev.tokenissuer.admin;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Reads a Frontier database's service users and their credentials (docs/migration.md): one REPEATABLE READ, READ ONLY
 * transaction, so the import sees one consistent snapshot and takes no lock beyond a read. Rows come back as Frontier
 * stored them; {@link FrontierImport} decides what each becomes.
 */
final class FrontierDatabase {

    /** A {@code serviceusers} row. */
    record ServiceUserRow(String id, String orgId, String title, String state) {
    }

    /** A {@code serviceuser_credentials} row; {@code type} is empty before Frontier v0.9.1 added the column. */
    record CredentialRow(String id, String serviceUserId, String title, Optional<String> type, String secretHash,
                         String publicKey) {
        @Override
        public String toString() {
            return "CredentialRow[id=" + id + "]";
        }
    }

    record Snapshot(List<ServiceUserRow> serviceUsers, Map<String, List<CredentialRow>> credentialsByUser,
                    boolean typeColumn) {
    }

    private static final int FETCH_SIZE = 1000;

    private FrontierDatabase() {
    }

    /**
     * The JDBC URL and connection properties for {@code postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?PARAMS]} (or
     * {@code postgresql://}); the password from {@code PGPASSWORD} when the URL has none.
     */
    record Target(String jdbcUrl, Properties properties, String where) {
        @Override
        public String toString() {
            return where;
        }
    }

    static Target target(String databaseUrl, Map<String, String> env) {
        URI uri;
        try {
            uri = new URI(databaseUrl);
        } catch (URISyntaxException e) {
            throw new AdminException("--database-url is not a URL; expected postgres://USER[:PASSWORD]@HOST:PORT/DB");
        }
        String scheme = String.valueOf(uri.getScheme());
        if (!scheme.equals("postgres") && !scheme.equals("postgresql")) {
            throw new AdminException("--database-url must start with postgres:// or postgresql://");
        }
        if (uri.getHost() == null || uri.getRawPath() == null || uri.getRawPath().length() < 2) {
            throw new AdminException("--database-url needs a host and a database: postgres://USER@HOST:PORT/DB");
        }
        Properties properties = new Properties();
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            properties.setProperty("user", decode(colon < 0 ? userInfo : userInfo.substring(0, colon)));
            if (colon >= 0) {
                properties.setProperty("password", decode(userInfo.substring(colon + 1)));
            }
        }
        if (!properties.containsKey("password") && env.get("PGPASSWORD") != null) {
            properties.setProperty("password", env.get("PGPASSWORD"));
        }
        // A dead host must not hang the operator's terminal.
        properties.setProperty("connectTimeout", "10");
        properties.setProperty("ApplicationName", "tokenctl import frontier");
        String hostPort = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        String database = decode(uri.getRawPath().substring(1));
        return new Target("jdbc:postgresql://" + hostPort + uri.getRawPath() + query, properties,
                "database " + database + " at " + hostPort);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** Every service user (of {@code orgs}, when not empty) and its credentials, as one snapshot. */
    static Snapshot read(Target target, List<String> orgs) {
        try (Connection connection = connect(target)) {
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setReadOnly(true);
            connection.setAutoCommit(false);
            try (var statement = connection.createStatement()) {
                // Explicit, so that the snapshot is read-only whatever the driver makes of setReadOnly.
                statement.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            }
            requireTables(connection, target);
            boolean typeColumn = hasTypeColumn(connection);
            List<ServiceUserRow> users = serviceUsers(connection, orgs);
            Map<String, List<CredentialRow>> credentials = credentials(connection, orgs, typeColumn);
            connection.rollback();
            return new Snapshot(users, credentials, typeColumn);
        } catch (SQLException e) {
            throw new AdminException("reading the Frontier " + target + " failed: " + oneLine(e));
        }
    }

    private static Connection connect(Target target) {
        try {
            return DriverManager.getConnection(target.jdbcUrl(), target.properties());
        } catch (SQLException e) {
            String state = String.valueOf(e.getSQLState());
            if (state.equals("28P01") || state.equals("28000")) {
                throw new AdminException("the Frontier " + target + " refused the credentials of user "
                        + target.properties().getProperty("user", "(none)") + " (set the password in the URL or PGPASSWORD)");
            }
            if (state.equals("3D000")) {
                throw new AdminException("there is no " + target);
            }
            if (state.startsWith("08")) {
                throw new AdminException("cannot reach the Frontier " + target + ": " + oneLine(e));
            }
            throw new AdminException("cannot connect to the Frontier " + target + ": " + oneLine(e));
        }
    }

    private static void requireTables(Connection connection, Target target) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM information_schema.tables "
                + "WHERE table_schema = current_schema() AND table_name IN ('serviceusers', 'serviceuser_credentials')");
             ResultSet rows = query.executeQuery()) {
            rows.next();
            if (rows.getInt(1) != 2) {
                throw new AdminException("the " + target + " has no Frontier tables (serviceusers and "
                        + "serviceuser_credentials); is it Frontier's database, and is the schema on the search_path?");
            }
        }
    }

    private static boolean hasTypeColumn(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM information_schema.columns "
                + "WHERE table_schema = current_schema() AND table_name = 'serviceuser_credentials' AND column_name = 'type'");
             ResultSet rows = query.executeQuery()) {
            return rows.next();
        }
    }

    private static List<ServiceUserRow> serviceUsers(Connection connection, List<String> orgs) throws SQLException {
        List<ServiceUserRow> users = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT id::text, org_id::text, title, state FROM serviceusers WHERE deleted_at IS NULL"
                        + (orgs.isEmpty() ? "" : " AND org_id::text = ANY (?)") + " ORDER BY id")) {
            bindOrgs(connection, query, orgs);
            query.setFetchSize(FETCH_SIZE);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    users.add(new ServiceUserRow(rows.getString(1), rows.getString(2), rows.getString(3),
                            rows.getString(4)));
                }
            }
        }
        return users;
    }

    private static Map<String, List<CredentialRow>> credentials(Connection connection, List<String> orgs,
                                                                boolean typeColumn) throws SQLException {
        Map<String, List<CredentialRow>> byUser = new LinkedHashMap<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT c.id::text, c.serviceuser_id::text, c.title, " + (typeColumn ? "c.type" : "NULL")
                        + ", c.secret_hash, c.public_key::text FROM serviceuser_credentials c "
                        + "JOIN serviceusers u ON u.id = c.serviceuser_id "
                        + "WHERE c.deleted_at IS NULL AND u.deleted_at IS NULL"
                        + (orgs.isEmpty() ? "" : " AND u.org_id::text = ANY (?)") + " ORDER BY c.serviceuser_id, c.id")) {
            bindOrgs(connection, query, orgs);
            query.setFetchSize(FETCH_SIZE);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    CredentialRow row = new CredentialRow(rows.getString(1), rows.getString(2), rows.getString(3),
                            Optional.ofNullable(rows.getString(4)), rows.getString(5), rows.getString(6));
                    byUser.computeIfAbsent(row.serviceUserId(), id -> new ArrayList<>()).add(row);
                }
            }
        }
        return byUser;
    }

    private static void bindOrgs(Connection connection, PreparedStatement query, List<String> orgs)
            throws SQLException {
        if (!orgs.isEmpty()) {
            query.setArray(1, connection.createArrayOf("text", orgs.toArray()));
        }
    }

    private static String oneLine(SQLException e) {
        return String.valueOf(e.getMessage()).lines().findFirst().orElse("").strip();
    }
}
