package dev.tokenissuer.admin;

import dev.tokenissuer.config.IssuerConfig;
import dev.tokenissuer.signing.KmsPublicKeys;
import dev.tokenissuer.signing.SigningKey;
import dev.tokenissuer.signing.SigningKeySpec;
import dev.tokenissuer.store.VerificationSet;
import dev.tokenissuer.store.VerificationSet.Key;
import dev.tokenissuer.store.VerificationSet.Role;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.Tag;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The signing keys' life cycle: the first key, rotation to a new one without a failed request or an unverifiable
 * token, and retirement of old keys once no unexpired token can carry them.
 *
 * <p>The function signs with the key the verification set names as signing (set here as the alias {@code
 * SIGNING_KEY_ID} moves) and publishes it plus every key of the set, re-reading the set every refresh interval. So a rotation publishes before it signs: the new
 * key enters the set first, and the alias moves to it only when every function instance has re-read the set and
 * every JWKS cached before that has expired, in Frontier's 15-minute caches too ({@link Timings#publishLead()}). The old key stays in the set; it can be
 * retired once every token it signed has expired ({@link Timings#keepAfterSigning()}).
 *
 * <p>A new key gets the key policy of the key it replaces: the template's policy (the function's role may sign and
 * read the public key, the account administers) carries over to keys the template does not know, without tokenctl
 * knowing the role.
 *
 * <p>Across regions ({@link KeyReplicas}): every key tokenctl creates is a KMS multi-Region key, so a single-region
 * deployment's key becomes multi-Region by an ordinary rotation. A new key is replicated to every replica region
 * before it is published; the signer moves to it only when every region has its replica and the table's, else the
 * rotation stops naming the region and what it lacks, and every region keeps signing with the previous key.
 */
final class SigningKeyAdmin {

    /** How far a resource server's clock, and the leeway it allows past {@code exp}, may be off. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    /** Tags every key tokenctl creates with the alias it serves, to find them in the console. */
    static final String ALIAS_TAG = "token-issuer:signing-alias";
    private static final String DESCRIPTION = "token-issuer access token signing key";

    static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(30);

    private final KmsClient kms;
    private final SigningKeyStore store;
    private final String signingKeyId;
    private final Clock clock;
    private final KeyReplicas replicas;

    SigningKeyAdmin(KmsClient kms, SigningKeyStore store, String signingKeyId, Clock clock) {
        this(kms, store, signingKeyId, clock, KeyReplicas.none());
    }

    SigningKeyAdmin(KmsClient kms, SigningKeyStore store, String signingKeyId, Clock clock, KeyReplicas replicas) {
        this.kms = kms;
        this.store = store;
        this.signingKeyId = signingKeyId;
        this.clock = clock;
        this.replicas = replicas;
    }

    /**
     * The deployment's timing, as the function is configured: tokenctl must run with the same
     * {@code SIGNING_KEYS_REFRESH_SECONDS}, {@code JWKS_MAX_AGE_SECONDS} and {@code TOKEN_TTL_SECONDS}.
     * {@code publishLeadOverride} replaces the computed publish lead ({@code --publish-lead}).
     */
    record Timings(Duration refresh, Duration jwksMaxAge, Duration tokenTtl, Optional<Duration> publishLeadOverride) {

        /**
         * How long lestrrat-go/jwx's {@code jwk.Cache}, which Frontier's resource-side code uses, may keep a JWKS
         * whatever its max-age says: it refreshes at most this often by default, and not on an unknown {@code kid}.
         */
        static final Duration JWK_CACHE_MIN_REFRESH = Duration.ofMinutes(15);

        static Timings of(IssuerConfig config) {
            return new Timings(config.signingKeysRefresh(), Duration.ofSeconds(config.jwksCacheMaxAgeSeconds()),
                    // A service user's own lifetime may be up to the maximum: a key's last tokens live that long.
                    config.tokenMaxTtl(), Optional.empty());
        }

        Timings withPublishLead(Optional<Duration> lead) {
            return new Timings(refresh, jwksMaxAge, tokenTtl, lead);
        }

        /**
         * How long a new key is published before it signs: every function instance re-reads the set within one
         * refresh interval; a JWKS served just before that stays in a {@code jwk.Cache} for up to 15 minutes, and in
         * a cache that honours max-age for one max-age.
         */
        Duration publishLead() {
            return publishLeadOverride.orElseGet(() -> refresh.plus(JWK_CACHE_MIN_REFRESH).plus(jwksMaxAge));
        }

        /**
         * How long a key stays published after the alias moved away from it: instances that have not refreshed yet
         * sign with it for up to one more interval, its last tokens live one TTL, and verifiers allow for skew.
         */
        Duration keepAfterSigning() {
            return refresh.plus(tokenTtl).plus(CLOCK_SKEW);
        }
    }

    /**
     * What a rotation did: the key that signs now, the one it replaced (null if none was recorded), and when that one
     * may be retired.
     */
    record Rotation(Key signing, Key previous, Instant retirableAfter) {
    }

    /**
     * A key of the set, with whether the alias names it, when it may be retired (null while it signs), and the
     * replica regions that hold it.
     */
    record Listed(Key key, boolean signsNow, Instant retirableAfter, List<String> replicas) {
    }

    boolean signingKeyExists() {
        return describe(signingKeyId).isPresent();
    }

    /** Creates the first signing key and the alias naming it, and records it in the set. */
    Key create(SigningKeySpec spec) {
        requireAlias("create");
        describe(signingKeyId).ifPresent(existing -> {
            throw new AdminException(signingKeyId + " already names KMS key " + existing.keyId()
                    + "; to replace it, run tokenctl signing-key rotate");
        });
        KeyMetadata created = createKey(spec, null);
        replicas.replicate(created.keyId(), signingKeyId, tags(), System.err, Optional.of(
                kms.getKeyPolicy(request -> request.keyId(created.keyId()).policyName("default")).policy()));
        kms.createAlias(request -> request.aliasName(signingKeyId).targetKeyId(created.keyId()));
        replicas.moveAlias(signingKeyId, created.keyId());
        return recordSigner();
    }

    /**
     * Records the key {@code SIGNING_KEY_ID} names as the signing key, and a key recorded as signing that it no longer
     * names as previous (the alias was moved by hand). For keys created outside tokenctl: the template's, or ours
     * before the set existed.
     */
    Key recordSigner() {
        KeyMetadata signer = requireSigningKey();
        Key entry = entry(signer, Role.SIGNING, clock.instant());
        VerificationSet set = store.update(current -> withSigner(current, entry, clock.instant()));
        return set.find(signer.keyId()).orElseThrow();
    }

    /**
     * Rotates to a new key: publishes it, waits until every instance and cache has it, moves the alias. Resumes an
     * interrupted rotation (a key already published as next) instead of starting another.
     */
    Rotation rotate(Optional<SigningKeySpec> requestedSpec, Timings timings, PrintStream progress)
            throws InterruptedException {
        requireAlias("rotate");
        KeyMetadata current = requireSigningKey();
        Key currentEntry = entry(current, Role.SIGNING, clock.instant());
        boolean aliasMovedUnrecorded = store.read().find(current.keyId()).map(Key::role).orElse(null) == Role.NEXT;
        VerificationSet set = store.update(stored -> withSigner(stored, currentEntry, clock.instant()));
        if (aliasMovedUnrecorded) {
            // A rotation was interrupted after it moved the alias: recording that finishes it; start no other.
            progress.println("tokenctl: finished an interrupted rotation to key " + current.keyId());
            Key previous = set.keys().stream().filter(key -> key.role() == Role.PREVIOUS)
                    .max(Comparator.comparing(Key::stoppedSigningAt,
                            Comparator.nullsFirst(Comparator.naturalOrder())))
                    .orElse(null);
            return new Rotation(set.find(current.keyId()).orElseThrow(), previous,
                    previous == null ? null : retirableAfter(previous, timings));
        }

        Key next = set.keyWithRole(Role.NEXT).orElse(null);
        if (next == null) {
            next = publishNewKey(current, requestedSpec.orElse(signingKeySpec(current)), progress);
        } else {
            if (requestedSpec.isPresent() && !requestedSpec.get().kmsKeySpec().toString().equals(next.keySpec())) {
                throw new AdminException("a rotation to key " + next.keyId() + " (" + next.keySpec() + ") is under "
                        + "way: run rotate without --spec to finish it, or retire that key first");
            }
            progress.println("tokenctl: resuming the rotation to key " + next.keyId() + " (kid " + next.kid() + ")");
            replicas.replicate(next.keyId(), signingKeyId, tags(), progress);
        }

        Instant publishedAt = next.publishedAt() == null ? clock.instant() : next.publishedAt();
        waitBeforeSigning(next, publishedAt.plus(timings.publishLead()), timings, progress);

        String nextId = next.keyId();
        if (store.read().find(nextId).isEmpty()) {
            throw new AdminException("key " + nextId + " was retired while the rotation waited; the alias still "
                    + "names " + current.keyId());
        }
        List<String> missing = replicas.missing(nextId);
        if (!missing.isEmpty()) {
            throw new AdminException("not moving the signer to key " + nextId + ": " + String.join("; ", missing)
                    + ". Every region keeps signing with key " + current.keyId() + "; run rotate again once "
                    + "the replicas exist (it replicates missing keys itself; a table replica is added to the "
                    + "primary's stack, docs/multi-region.md)");
        }
        kms.updateAlias(request -> request.aliasName(signingKeyId).targetKeyId(nextId));
        replicas.moveAlias(signingKeyId, nextId);
        Instant switched = clock.instant();
        set = store.update(stored -> withSigner(stored,
                stored.find(nextId).orElseThrow(() -> new AdminException("key " + nextId + " left the set")),
                switched));
        Key previous = set.find(current.keyId()).orElseThrow();
        progress.println("tokenctl: key " + nextId + " signs now; instances switch within "
                + seconds(timings.refresh()) + " s");
        return new Rotation(set.find(nextId).orElseThrow(), previous, retirableAfter(previous, timings));
    }

    /**
     * Sleeps until {@code signsAt}, saying why first and how long is left every {@link #PROGRESS_INTERVAL}, so that a
     * wait of a quarter of an hour does not look like a hang.
     */
    private void waitBeforeSigning(Key next, Instant signsAt, Timings timings, PrintStream progress)
            throws InterruptedException {
        Duration wait = Duration.between(clock.instant(), signsAt);
        if (wait.isNegative() || wait.isZero()) {
            return;
        }
        progress.println("tokenctl: waiting " + seconds(wait) + " s before key " + next.keyId() + " signs, so that "
                + "every function instance has re-read the set (" + seconds(timings.refresh()) + " s) and every "
                + "cached JWKS has expired (" + seconds(timings.jwksMaxAge()) + " s max-age; lestrrat-go/jwx caches "
                + "keep one up to " + seconds(Timings.JWK_CACHE_MIN_REFRESH) + " s)"
                + (timings.publishLeadOverride().isPresent() ? " (--publish-lead)" : "")
                + "; Ctrl-C is safe, run rotate again to resume");
        while (true) {
            Duration left = Duration.between(clock.instant(), signsAt);
            if (left.isNegative() || left.isZero()) {
                return;
            }
            Thread.sleep(Math.min(left.toMillis(), PROGRESS_INTERVAL.toMillis()));
            Duration remaining = Duration.between(clock.instant(), signsAt);
            if (remaining.compareTo(Duration.ofSeconds(1)) >= 0) {
                progress.println("tokenctl: key " + next.keyId() + " signs in " + seconds(remaining) + " s");
            }
        }
    }

    /** Every key of the set, the signing key first, as recorded, with when each may be retired. */
    List<Listed> list(Timings timings) {
        Optional<String> signer = describe(signingKeyId).map(KeyMetadata::keyId);
        List<Listed> listed = new ArrayList<>();
        for (Key key : store.read().keys()) {
            boolean signsNow = signer.isPresent() && signer.get().equals(key.keyId());
            Listed entry = new Listed(key, signsNow, signsNow ? null : retirableAfter(key, timings),
                    replicas.holding(key.keyId()));
            if (signsNow) {
                listed.add(0, entry);
            } else {
                listed.add(entry);
            }
        }
        return listed;
    }

    /**
     * Drops a key from the set (so from the JWKS, within a refresh interval) and disables it in KMS, so it can sign
     * nothing more. Refuses the signing key always, and a key whose tokens may be unexpired unless {@code force}.
     */
    Key retire(String keyIdArnOrKid, boolean force, Timings timings) {
        Key key = store.read().find(keyIdArnOrKid).orElseThrow(() -> new AdminException(
                "no key " + keyIdArnOrKid + " in the verification set (see tokenctl signing-key list)"));
        if (describe(signingKeyId).map(KeyMetadata::keyId).filter(key.keyId()::equals).isPresent()) {
            throw new AdminException("key " + key.keyId() + " signs tokens now (" + signingKeyId + " names it); "
                    + "rotate to a new key first");
        }
        Instant retirableAfter = retirableAfter(key, timings);
        if (!force && clock.instant().isBefore(retirableAfter)) {
            throw new AdminException(retirableAfter.equals(Instant.MAX)
                    ? "key " + key.keyId() + " is recorded as signing, so its tokens' expiry is unknown; run tokenctl "
                            + "signing-key rotate to finish a rotation, or retire it with --force"
                    : "tokens signed by key " + key.keyId() + " may be unexpired until " + retirableAfter
                            + " (it stopped signing at " + key.stoppedSigningAt() + "; plus the refresh interval, the"
                            + " token lifetime and " + CLOCK_SKEW.toMinutes() + " min of clock skew); retire it "
                            + "then, or now with --force, which makes those tokens fail verification");
        }
        store.update(stored -> stored.withKeys(stored.keys().stream()
                .filter(candidate -> !candidate.keyId().equals(key.keyId())).toList()));
        try {
            kms.disableKey(request -> request.keyId(key.keyId()));
            replicas.disable(key.keyId());
        } catch (RuntimeException e) {
            throw new AdminException("key " + key.keyId() + " left the JWKS, but disabling it in KMS failed: "
                    + e.getMessage(), e);
        }
        return key;
    }

    /** When a key may leave the set: never before it stopped signing plus {@link Timings#keepAfterSigning()}. */
    static Instant retirableAfter(Key key, Timings timings) {
        return switch (key.role()) {
            case NEXT -> Instant.MIN; // never signed
            case SIGNING -> Instant.MAX; // the record says it signs: when it stopped is unknown
            case PREVIOUS -> key.stoppedSigningAt() == null ? Instant.MAX
                    : key.stoppedSigningAt().plus(timings.keepAfterSigning());
        };
    }

    /**
     * The set with {@code signer} as the signing key: a key recorded as signing before becomes previous, having
     * stopped at {@code now}; a next key stays next. The signer goes first, the others keep their order.
     */
    static VerificationSet withSigner(VerificationSet set, Key signer, Instant now) {
        List<Key> keys = new ArrayList<>();
        Key existing = set.find(signer.keyId()).orElse(signer);
        keys.add(existing.role() == Role.SIGNING ? existing : existing.withRole(Role.SIGNING, now));
        for (Key key : set.keys()) {
            if (!key.keyId().equals(signer.keyId())) {
                keys.add(key.role() == Role.SIGNING ? key.withRole(Role.PREVIOUS, now) : key);
            }
        }
        return set.withKeys(keys);
    }

    private Key publishNewKey(KeyMetadata current, SigningKeySpec spec, PrintStream progress) {
        String policy = kms.getKeyPolicy(request -> request.keyId(current.keyId()).policyName("default")).policy();
        KeyMetadata created = createKey(spec, policy);
        // Every region has the key before any region's JWKS lists it, so no region publishes a kid it cannot sign.
        replicas.replicate(created.keyId(), signingKeyId, tags(), progress);
        Key candidate = entry(created, Role.NEXT, clock.instant());
        VerificationSet set = store.update(stored -> stored.keyWithRole(Role.NEXT).isPresent() ? stored
                : stored.withKeys(prepend(candidate, stored.keys())));
        Key next = set.keyWithRole(Role.NEXT).orElseThrow();
        if (!next.keyId().equals(candidate.keyId())) {
            // Another rotation published its key first: finish that one, and leave no unused key behind.
            replicas.scheduleDeletion(candidate.keyId());
            kms.scheduleKeyDeletion(request -> request.keyId(candidate.keyId()).pendingWindowInDays(7));
            progress.println("tokenctl: another rotation published key " + next.keyId() + " first; continuing "
                    + "with it (key " + candidate.keyId() + " is scheduled for deletion)");
        } else {
            progress.println("tokenctl: published key " + next.keyId() + " (" + next.keySpec() + ", kid "
                    + next.kid() + ") in the JWKS");
        }
        return next;
    }

    private KeyMetadata createKey(SigningKeySpec spec, String policy) {
        return kms.createKey(request -> {
            // Multi-Region, always: the same key (id, material, kid) can then be replicated to any region, now or
            // when the deployment grows; it costs what a single-region key costs.
            request.keySpec(spec.kmsKeySpec()).keyUsage(KeyUsageType.SIGN_VERIFY).description(DESCRIPTION)
                    .multiRegion(true).tags(tags());
            if (policy != null) {
                request.policy(policy);
            }
        }).keyMetadata();
    }

    private List<Tag> tags() {
        return List.of(Tag.builder().tagKey(ALIAS_TAG).tagValue(signingKeyId).build());
    }

    /** The set's record of a KMS key: its kid and alg as the function will publish them. */
    private Key entry(KeyMetadata key, Role role, Instant now) {
        SigningKey publicKey = KmsPublicKeys.load(kms, key.keyId()).signingKey();
        return new Key(key.keyId(), publicKey.kid(), publicKey.algorithm().getName(), keySpec(key).toString(), role,
                now, role == Role.SIGNING ? now : null, null);
    }

    private KeyMetadata requireSigningKey() {
        return describe(signingKeyId).orElseThrow(() -> new AdminException(signingKeyId + " names no KMS key; "
                + "run tokenctl signing-key create (or bootstrap)"));
    }

    private Optional<KeyMetadata> describe(String keyIdOrAlias) {
        try {
            return Optional.of(kms.describeKey(request -> request.keyId(keyIdOrAlias)).keyMetadata());
        } catch (NotFoundException missing) {
            return Optional.empty();
        }
    }

    private void requireAlias(String command) {
        if (!signingKeyId.startsWith("alias/")) {
            throw new AdminException("signing-key " + command + " moves an alias: set SIGNING_KEY_ID to one "
                    + "(alias/...), not to a key id");
        }
    }

    /** KMS answers with KeySpec and the older CustomerMasterKeySpec; some emulators (moto) only with the latter. */
    private static KeySpec keySpec(KeyMetadata key) {
        return key.keySpec() != null ? key.keySpec() : KeySpec.fromValue(key.customerMasterKeySpecAsString());
    }

    /** The spec of a key that signs now, for its successor. */
    private static SigningKeySpec signingKeySpec(KeyMetadata key) {
        return SigningKeySpec.of(keySpec(key)).orElseThrow(() -> new AdminException("the signing key "
                + key.keyId() + " is a " + keySpec(key) + " key, which cannot sign tokens; give rotate --spec"));
    }

    private static List<Key> prepend(Key key, List<Key> keys) {
        List<Key> result = new ArrayList<>(List.of(key));
        result.addAll(keys);
        return result;
    }

    private static long seconds(Duration duration) {
        return (duration.toMillis() + 999) / 1000;
    }
}
