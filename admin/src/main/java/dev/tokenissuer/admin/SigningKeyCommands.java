package dev.tokenissuer.admin;

import dev.tokenissuer.store.VerificationSet.Key;
import dev.tokenissuer.token.SigningKeySpec;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code tokenctl signing-key ...}: the KMS keys that sign tokens, and the set of keys the JWKS publishes. */
final class SigningKeyCommands {

    private SigningKeyCommands() {
    }

    static List<Command> all() {
        return List.of(
                Command.of("signing-key create", "signing-key create [--spec SPEC]",
                        "Create the first signing key (SPEC one of " + SigningKeySpec.names() + "; default "
                                + SigningKeySpec.DEFAULT.kmsKeySpec() + ") and the alias SIGNING_KEY_ID naming it, "
                                + "and record it in the verification set.", Set.of("spec"), (args, context) -> {
                            args.none();
                            SigningKeySpec spec = args.option("spec").map(value -> keySpec("spec", value))
                                    .orElse(SigningKeySpec.DEFAULT);
                            return json(context.signingKeys().create(spec));
                        }),
                Command.of("signing-key rotate", "signing-key rotate [--spec SPEC] [--publish-lead SECONDS]",
                        "Rotate without downtime: create a new key (same spec unless --spec), publish it, wait until "
                                + "every instance and JWKS cache has it (refresh interval + 15 min + JWKS max-age, "
                                + "or --publish-lead seconds), move the alias; the old key stays published. Resumes "
                                + "an interrupted rotation.", Set.of("spec", "publish-lead"), (args, context) -> {
                            args.none();
                            Optional<SigningKeySpec> spec = args.option("spec").map(value -> keySpec("spec", value));
                            Optional<Duration> lead = args.option("publish-lead").map(SigningKeyCommands::seconds);
                            SigningKeyAdmin.Rotation rotation = context.signingKeys()
                                    .rotate(spec, context.signingKeyTimings().withPublishLead(lead), context.err());
                            Map<String, Object> result = new LinkedHashMap<>();
                            result.put("signing", json(rotation.signing()));
                            result.put("previous", rotation.previous() == null ? null : json(rotation.previous()));
                            result.put("previous_retirable_after", when(rotation.retirableAfter()));
                            return result;
                        }),
                Command.of("signing-key list", "signing-key list",
                        "List the keys the JWKS publishes, the signing key first, with when each may be retired.",
                        Set.of(), (args, context) -> {
                            args.none();
                            List<Map<String, Object>> keys = context.signingKeys()
                                    .list(context.signingKeyTimings()).stream().map(listed -> {
                                        Map<String, Object> key = json(listed.key());
                                        key.put("signs_now", listed.signsNow());
                                        key.put("retirable_after", when(listed.retirableAfter()));
                                        key.put("replicas", listed.replicas());
                                        return key;
                                    }).toList();
                            Map<String, Object> result = new LinkedHashMap<>();
                            result.put("signing_key_id", context.config().signingKeyId());
                            result.put("keys", keys);
                            return result;
                        }),
                new Command("signing-key retire", "signing-key retire KEY_ID [--force]",
                        "Drop a key (KMS key id, ARN or kid) from the JWKS and disable it in KMS. Refuses the "
                                + "signing key, and a key whose tokens may be unexpired unless --force.",
                        Set.of(), Set.of("force"), (args, context) -> {
                            boolean force = args.flag("force");
                            Key retired = context.signingKeys().retire(args.single("KEY_ID"), force,
                                    context.signingKeyTimings());
                            Map<String, Object> result = json(retired);
                            result.put("retired", true);
                            result.put("disabled", true);
                            result.put("forced", force);
                            return result;
                        }));
    }

    /** {@code --publish-lead}: whole seconds, 0 (tests only: no wait) to a day. */
    static Duration seconds(String value) {
        try {
            long seconds = Long.parseLong(value.trim());
            if (seconds >= 0 && seconds <= 86_400) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new Args.UsageException("--publish-lead must be whole seconds from 0 to 86400, not " + value);
    }

    /** A key spec tokens can be signed with, named by option {@code option} in the error otherwise. */
    static SigningKeySpec keySpec(String option, String value) {
        return SigningKeySpec.named(value).orElseThrow(() -> new Args.UsageException(
                "--" + option + " must be one of " + SigningKeySpec.names() + ", not " + value));
    }

    private static Map<String, Object> json(Key key) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("key_id", key.keyId());
        result.put("kid", key.kid());
        result.put("alg", key.algorithm());
        result.put("key_spec", key.keySpec());
        result.put("role", key.role().storedName());
        result.put("published_at", when(key.publishedAt()));
        result.put("signing_since", when(key.signingSince()));
        result.put("stopped_signing_at", when(key.stoppedSigningAt()));
        return result;
    }

    private static String when(Instant instant) {
        if (instant == null) {
            return null;
        }
        if (instant.equals(Instant.MIN)) {
            return "now";
        }
        return instant.equals(Instant.MAX) ? "unknown" : instant.toString();
    }
}
