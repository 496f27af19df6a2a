package dev.tokenissuer.admin;

import com.nimbusds.jose.jwk.JWK;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code tokenctl key ...}: service users' public keys, for the jwt-bearer grant. */
final class KeyCommands {

    private KeyCommands() {
    }

    static List<Command> all() {
        return List.of(
                Command.of("key create", "key create SERVICEUSER_ID [--title TITLE] [--expires-in 90d]",
                        "Generate an RSA-2048 key pair here, store only its public key, and print Frontier's key "
                                + "file with the private key: shown once, kept by no one else.",
                        Set.of("title", "expires-in"), (args, context) -> {
                            KeyFiles.GeneratedKey generated = KeyFiles.generateRsa();
                            AdminStore.NewKey key = context.store().createKey(args.single("SERVICEUSER_ID"),
                                    args.option("title").orElse(""), generated.publicJwk(),
                                    ExpiresIn.validUntil(args.option("expires-in"), Clock.systemUTC()));
                            return KeyFiles.frontierKeyFile(key.kid(), key.serviceUserId(),
                                    generated.privateKeyPem());
                        }),
                Command.of("key add",
                        "key add SERVICEUSER_ID --public-key FILE [--title TITLE] [--expires-in 90d]",
                        "Register a public key the service user generated (PEM SubjectPublicKeyInfo or JWK; RSA of "
                                + "2048 to 4096 bits with exponent 65537, or EC P-256): the private key never "
                                + "leaves its owner.",
                        Set.of("public-key", "title", "expires-in"), (args, context) -> {
                            String serviceUserId = args.single("SERVICEUSER_ID");
                            JWK publicKey = KeyFiles.readPublicKey(read(Path.of(args.required("public-key"))));
                            AdminStore.NewKey key = context.store().createKey(serviceUserId,
                                    args.option("title").orElse(""), publicKey,
                                    ExpiresIn.validUntil(args.option("expires-in"), Clock.systemUTC()));
                            Map<String, Object> result = new LinkedHashMap<>();
                            result.put("kid", key.kid());
                            result.put("principal_id", key.serviceUserId());
                            result.put("title", key.title());
                            result.put("alg_family", key.algFamily());
                            result.put("created_at", key.createdAt());
                            result.put("valid_until", key.validUntil().map(Object::toString).orElse(null));
                            return result;
                        }),
                Command.of("key list", "key list SERVICEUSER_ID",
                        "List a service user's public keys.", Set.of(), (args, context) -> {
                            String serviceUserId = args.single("SERVICEUSER_ID");
                            List<Map<String, Object>> keys = context.store().listKeys(serviceUserId).stream()
                                    .map(key -> json(key, Clock.systemUTC().instant())).toList();
                            Map<String, Object> result = new LinkedHashMap<>();
                            result.put("principal_id", serviceUserId);
                            result.put("keys", keys);
                            return result;
                        }),
                Command.of("key delete", "key delete KID",
                        "Delete a public key; assertions it signs stop working at once.", Set.of(),
                        (args, context) -> {
                            String kid = context.store().deleteKey(args.single("KID"));
                            return Map.of("kid", kid, "deleted", true);
                        }));
    }

    static Map<String, Object> json(AdminStore.StoredKey key, Instant now) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("kid", key.kid());
        result.put("title", key.title());
        result.put("alg_family", key.algFamily());
        result.put("state", key.state().storedName());
        CredentialLifecycleCommands.putAgeAndExpiry(result, key.createdAt(), key.validUntil(), now);
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
