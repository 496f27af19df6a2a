package dev.tokenissuer.admin;

import com.nimbusds.jose.jwk.JWK;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code tokenctl key ...}: service users' public keys, for the jwt-bearer grant. */
@Command(name = "key", synopsisSubcommandLabel = "COMMAND",
        description = "Service users' public keys, for the jwt-bearer grant.")
final class KeyCommands {

    /** The help of every --expires-in. */
    static final String EXPIRES_IN = "Stop working after this long: a whole number with s, m, h or d (90d).";

    private final TokenCtl tokenctl;

    KeyCommands(TokenCtl tokenctl) {
        this.tokenctl = tokenctl;
    }

    @Command(name = "create", description = "Generate an RSA-2048 key pair here, store only its public key, and print "
            + "Frontier's key file with the private key: shown once, kept by no one else.")
    Map<String, Object> create(@Parameters(paramLabel = "SERVICEUSER_ID") String serviceUserId,
                               @Option(names = "--title", paramLabel = "TITLE", defaultValue = "") String title,
                               @Option(names = "--expires-in", paramLabel = "DURATION", description = EXPIRES_IN)
                               String expiresIn) {
        KeyFiles.GeneratedKey generated = KeyFiles.generateRsa();
        AdminStore.NewKey key = tokenctl.context().store().createKey(serviceUserId, title, generated.publicJwk(),
                ExpiresIn.validUntil(java.util.Optional.ofNullable(expiresIn), Clock.systemUTC()));
        return KeyFiles.frontierKeyFile(key.kid(), key.serviceUserId(), generated.privateKeyPem());
    }

    @Command(name = "add", description = "Register a public key the service user generated (PEM SubjectPublicKeyInfo "
            + "or JWK; RSA of 2048 to 4096 bits with exponent 65537, or EC P-256): the private key never leaves its "
            + "owner.")
    Map<String, Object> add(@Parameters(paramLabel = "SERVICEUSER_ID") String serviceUserId,
                            @Option(names = "--public-key", required = true, paramLabel = "FILE") String file,
                            @Option(names = "--title", paramLabel = "TITLE", defaultValue = "") String title,
                            @Option(names = "--expires-in", paramLabel = "DURATION", description = EXPIRES_IN)
                            String expiresIn) {
        JWK publicKey = KeyFiles.readPublicKey(read(Path.of(Options.given("--public-key", file))));
        AdminStore.NewKey key = tokenctl.context().store().createKey(serviceUserId, title, publicKey,
                ExpiresIn.validUntil(java.util.Optional.ofNullable(expiresIn), Clock.systemUTC()));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("kid", key.kid());
        result.put("principal_id", key.serviceUserId());
        result.put("title", key.title());
        result.put("alg_family", key.algFamily());
        result.put("created_at", key.createdAt());
        result.put("valid_until", key.validUntil().map(Object::toString).orElse(null));
        return result;
    }

    @Command(name = "list", description = "List a service user's public keys.")
    Map<String, Object> list(@Parameters(paramLabel = "SERVICEUSER_ID") String serviceUserId) {
        List<Map<String, Object>> keys = tokenctl.context().store().listKeys(serviceUserId).stream()
                .map(key -> json(key, Clock.systemUTC().instant())).toList();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("principal_id", serviceUserId);
        result.put("keys", keys);
        return result;
    }

    @Command(name = "delete", description = "Delete a public key; assertions it signs stop working at once.")
    Map<String, Object> delete(@Parameters(paramLabel = "KID") String kid) {
        return Map.of("kid", tokenctl.context().store().deleteKey(kid), "deleted", true);
    }

    static Map<String, Object> json(AdminStore.StoredKey key, Instant now) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("kid", key.kid());
        result.put("title", key.title());
        result.put("alg_family", key.algFamily());
        result.put("state", key.state().storedName());
        CredentialListings.putAgeAndExpiry(result, key.createdAt(), key.validUntil(), now);
        try {
            result.put("public_key", JWK.parse(key.publicJwk()).toPublicJWK().toJSONObject());
        } catch (ParseException e) {
            throw new AdminException("the stored public key of " + key.kid() + " cannot be read");
        }
        return result;
    }

    private static String read(Path file) {
        try {
            if (Files.size(file) > KeyFiles.MAX_KEY_TEXT_CHARS) {
                throw new AdminException(file + " is larger than " + KeyFiles.MAX_KEY_TEXT_CHARS / 1024
                        + " KiB: too large to be a public key");
            }
            return Files.readString(file);
        } catch (IOException e) {
            throw new AdminException("cannot read " + file + ": " + e.getMessage());
        }
    }
}
