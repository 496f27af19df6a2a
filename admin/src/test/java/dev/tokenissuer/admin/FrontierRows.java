package dev.tokenissuer.admin;

import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.JWSAlgorithm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rows in a Frontier database as Frontier writes them: a secret's hash made by Go's bcrypt at cost 14 (six Go-made
 * pairs, reused: compat/go/testdata), a key as a JWK Set of one RSA-2048 public key whose kid is the credential's id.
 */
final class FrontierRows {

    record Secret(String clientId, String secret, String hash) {
    }

    record Key(String kid, String serviceUserId, KeyPair pair, String jwkSet) {
    }

    private static final Pattern PAIR = Pattern.compile("\\{\"secret\":\"([^\"]+)\",\"hash\":\"([^\"]+)\"}");
    private static final List<String[]> GO_PAIRS = goPairs();

    private final Connection connection;
    private final boolean typeColumn;
    private int nextPair;

    FrontierRows(Connection connection, boolean typeColumn) {
        this.connection = connection;
        this.typeColumn = typeColumn;
    }

    private static List<String[]> goPairs() {
        try {
            return Files.readAllLines(Path.of("..", "compat", "go", "testdata", "frontier-bcrypt-cost14.jsonl"))
                    .stream().map(line -> {
                        Matcher m = PAIR.matcher(line);
                        if (!m.matches()) {
                            throw new IllegalStateException(line);
                        }
                        return new String[] {m.group(1), m.group(2)};
                    }).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A Go-made secret holding a +, which a form-decoder turns into a space. */
    static String[] pairWithPlus() {
        return GO_PAIRS.stream().filter(p -> p[0].contains("+")).findFirst().orElseThrow();
    }

    String serviceUser(String orgId, String title, String state) throws Exception {
        String id = UUID.randomUUID().toString();
        serviceUser(id, orgId, title, state);
        return id;
    }

    void serviceUser(String id, String orgId, String title, String state) throws Exception {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO serviceusers (id, org_id, title, "
                + "metadata, state) VALUES (?::uuid, ?::uuid, ?, '{}', ?)")) {
            insert.setString(1, id);
            insert.setString(2, orgId);
            insert.setString(3, title);
            insert.setString(4, state);
            insert.executeUpdate();
        }
    }

    /** A client secret as Frontier's CreateServiceUserCredential makes it, from the next Go-made pair. */
    Secret secret(String serviceUserId) throws Exception {
        String[] pair = GO_PAIRS.get(nextPair++ % GO_PAIRS.size());
        return secret(serviceUserId, pair[0], pair[1]);
    }

    Secret secret(String serviceUserId, String secret, String hash) throws Exception {
        String id = UUID.randomUUID().toString();
        credential(id, serviceUserId, "client_credential", hash, null);
        return new Secret(id, secret, hash);
    }

    /** A key as Frontier's CreateServiceUserJWK makes it: RSA-2048, only the public half stored, as a JWK Set. */
    Key key(String serviceUserId) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return key(serviceUserId, generator.generateKeyPair());
    }

    Key key(String serviceUserId, KeyPair pair) throws Exception {
        String kid = UUID.randomUUID().toString();
        String set = "{\"keys\":[" + new RSAKey.Builder((RSAPublicKey) pair.getPublic()).keyID(kid)
                .algorithm(JWSAlgorithm.RS256).keyUse(KeyUse.SIGNATURE).build().toJSONString() + "]}";
        credential(kid, serviceUserId, "jwt_bearer", null, set);
        return new Key(kid, serviceUserId, pair, set);
    }

    void credential(String id, String serviceUserId, String type, String secretHash, String publicKey)
            throws Exception {
        String sql = typeColumn
                ? "INSERT INTO serviceuser_credentials (id, serviceuser_id, title, secret_hash, public_key, metadata,"
                        + " type) VALUES (?::uuid, ?::uuid, ?, ?, ?::jsonb, '{}', ?)"
                : "INSERT INTO serviceuser_credentials (id, serviceuser_id, title, secret_hash, public_key, metadata)"
                        + " VALUES (?::uuid, ?::uuid, ?, ?, ?::jsonb, '{}')";
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            insert.setString(1, id);
            insert.setString(2, serviceUserId);
            insert.setString(3, "credential " + id.substring(0, 8));
            insert.setString(4, secretHash);
            insert.setString(5, publicKey);
            if (typeColumn) {
                insert.setString(6, type);
            }
            insert.executeUpdate();
        }
    }

    void execute(String sql) throws Exception {
        connection.createStatement().execute(sql);
    }
}
