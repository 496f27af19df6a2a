package dev.tokenissuer.admin;

import dev.tokenissuer.signing.SigningKeySpec;
import dev.tokenissuer.store.VerificationSet.Key;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code tokenctl signing-key ...}: the KMS keys that sign tokens, and the set of keys the JWKS publishes. */
@Command(name = "signing-key", synopsisSubcommandLabel = "COMMAND",
        description = "The KMS keys that sign tokens, and the set of keys the JWKS publishes.")
final class SigningKeyCommands {

    private final TokenCtl tokenctl;

    SigningKeyCommands(TokenCtl tokenctl) {
        this.tokenctl = tokenctl;
    }

    @Command(name = "create", defaultValueProvider = Options.FirstKeySpec.class,
            description = "Create the first signing key and the alias SIGNING_KEY_ID naming it, and record it in the "
                    + "verification set.")
    Map<String, Object> create(@Option(names = "--spec", paramLabel = "SPEC", converter = Options.KeySpec.class,
            completionCandidates = Options.KeySpecNames.class,
            description = "One of ${COMPLETION-CANDIDATES}; default ${DEFAULT-VALUE}.") SigningKeySpec spec) {
        return json(tokenctl.context().signingKeys().create(spec));
    }

    @Command(name = "rotate", description = "Rotate without downtime: create a new key (same spec unless --spec), "
            + "publish it, wait until every instance and JWKS cache has it (refresh interval + 15 min + JWKS max-age, "
            + "or --publish-lead seconds), move the alias; the old key stays published. Resumes an interrupted "
            + "rotation.")
    Map<String, Object> rotate(
            @Option(names = "--spec", paramLabel = "SPEC", converter = Options.KeySpec.class,
                    completionCandidates = Options.KeySpecNames.class,
                    description = "One of ${COMPLETION-CANDIDATES}; default the current key's.") SigningKeySpec spec,
            @Option(names = "--publish-lead", paramLabel = "SECONDS", converter = Options.Seconds.class,
                    description = "How long to publish the new key before it signs (0 to 86400).") Duration lead)
            throws InterruptedException {
        AdminContext context = tokenctl.context();
        SigningKeyAdmin.Rotation rotation = context.signingKeys().rotate(Optional.ofNullable(spec),
                context.signingKeyTimings().withPublishLead(Optional.ofNullable(lead)), context.err());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("signing", json(rotation.signing()));
        result.put("previous", rotation.previous() == null ? null : json(rotation.previous()));
        result.put("previous_retirable_after", when(rotation.retirableAfter()));
        return result;
    }

    @Command(name = "list", description = "List the keys the JWKS publishes, the signing key first, with when each "
            + "may be retired.")
    Map<String, Object> list() {
        AdminContext context = tokenctl.context();
        List<Map<String, Object>> keys = context.signingKeys().list(context.signingKeyTimings()).stream()
                .map(listed -> {
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
    }

    @Command(name = "retire", description = "Drop a key (KMS key id, ARN or kid) from the JWKS and disable it in KMS. "
            + "Refuses the signing key, and a key whose tokens may be unexpired unless --force.")
    Map<String, Object> retire(@Parameters(paramLabel = "KEY_ID") String keyId,
                               @Option(names = "--force", description = "Retire it even if its tokens may be "
                                       + "unexpired.") boolean force) {
        AdminContext context = tokenctl.context();
        Key retired = context.signingKeys().retire(keyId, force, context.signingKeyTimings());
        Map<String, Object> result = json(retired);
        result.put("retired", true);
        result.put("disabled", true);
        result.put("forced", force);
        return result;
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
