package dev.tokenissuer.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code tokenctl import frontier} did, or would do with {@code --dry-run}: per kind (service users, secrets,
 * keys) how many were imported, already there, there but upgraded, there but different (reported, not overwritten)
 * and refused; what was skipped and why; and each refusal and difference with its Frontier id. Thread-safe: the
 * import writes service users in parallel.
 */
final class ImportSummary {

    enum Kind { SERVICE_USERS, SECRETS, KEYS }

    enum Outcome {
        /** Written now (or, in a dry run, would be). */
        IMPORTED,
        /** Already in the table as Frontier has it: an earlier import. */
        EXISTING,
        /** A secret whose bcrypt hash was already replaced on first use; kept as it is. */
        UPGRADED,
        /** In the table, but not as Frontier has it now: reported, not overwritten. */
        DIFFERENT,
        /** Not carried over: see the problems. */
        REFUSED
    }

    /** Why a row was left out on purpose. */
    enum Skip {
        /** Frontier's own bootstrap service account (v0.108+), which Frontier rotates at boot. */
        BOOTSTRAP_ACCOUNT,
        /** An opaque token credential (v0.9.1+): Frontier-only, token-issuer has none. */
        OPAQUE_TOKEN,
        /** A credential with neither a secret hash nor a public key. */
        NO_HASH_OR_KEY
    }

    private final boolean dryRun;
    private final Map<Kind, Map<Outcome, Integer>> counts = new LinkedHashMap<>();
    private final Map<Skip, Integer> skipped = new TreeMap<>();
    private final List<Map<String, String>> problems = new ArrayList<>();
    private final List<Map<String, String>> differences = new ArrayList<>();
    private int serviceUsersRead;
    private int credentialsRead;

    ImportSummary(boolean dryRun) {
        this.dryRun = dryRun;
        for (Kind kind : Kind.values()) {
            Map<Outcome, Integer> byOutcome = new LinkedHashMap<>();
            for (Outcome outcome : Outcome.values()) {
                byOutcome.put(outcome, 0);
            }
            counts.put(kind, byOutcome);
        }
        for (Skip skip : Skip.values()) {
            skipped.put(skip, 0);
        }
    }

    synchronized void read(int serviceUsers, int credentials) {
        this.serviceUsersRead = serviceUsers;
        this.credentialsRead = credentials;
    }

    synchronized void count(Kind kind, Outcome outcome) {
        counts.get(kind).merge(outcome, 1, Integer::sum);
    }

    synchronized void skip(Skip why) {
        skipped.merge(why, 1, Integer::sum);
    }

    /** A row not carried over, by its Frontier id. Never a secret or a hash. */
    synchronized void problem(Kind kind, String id, String reason) {
        count(kind, Outcome.REFUSED);
        problems.add(entry(kind, id, reason));
    }

    /** A row in the table that differs from Frontier's now, by its id and what differs. */
    synchronized void difference(Kind kind, String id, String what) {
        count(kind, Outcome.DIFFERENT);
        differences.add(entry(kind, id, what));
    }

    synchronized int get(Kind kind, Outcome outcome) {
        return counts.get(kind).get(outcome);
    }

    synchronized int refused() {
        return problems.size();
    }

    private static Map<String, String> entry(Kind kind, String id, String text) {
        Map<String, String> entry = new LinkedHashMap<>();
        entry.put("kind", name(kind));
        entry.put("id", id);
        entry.put("reason", text);
        return entry;
    }

    private static String name(Enum<?> value) {
        return value.name().toLowerCase(java.util.Locale.ROOT);
    }

    synchronized Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("dry_run", dryRun);
        json.put("read", Map.of("service_users", serviceUsersRead, "credentials", credentialsRead));
        counts.forEach((kind, byOutcome) -> {
            Map<String, Integer> named = new LinkedHashMap<>();
            byOutcome.forEach((outcome, n) -> named.put(name(outcome), n));
            json.put(name(kind), named);
        });
        Map<String, Integer> skips = new LinkedHashMap<>();
        skipped.forEach((skip, n) -> skips.put(name(skip), n));
        json.put("skipped", skips);
        json.put("problems", List.copyOf(problems));
        json.put("differences", List.copyOf(differences));
        return json;
    }

    synchronized String text() {
        StringBuilder text = new StringBuilder();
        text.append(dryRun ? "import frontier (dry run: nothing written)\n" : "import frontier\n");
        text.append("  read: ").append(serviceUsersRead).append(" service users, ").append(credentialsRead)
                .append(" credentials\n");
        counts.forEach((kind, byOutcome) -> {
            text.append("  ").append(name(kind).replace('_', ' ')).append(':');
            byOutcome.forEach((outcome, n) -> text.append(' ').append(dryRun && outcome == Outcome.IMPORTED
                    ? "to import" : name(outcome)).append(' ').append(n).append(','));
            text.setLength(text.length() - 1);
            text.append('\n');
        });
        text.append("  skipped:");
        skipped.forEach((skip, n) -> text.append(' ').append(name(skip).replace('_', ' ')).append(' ').append(n)
                .append(','));
        text.setLength(text.length() - 1);
        text.append('\n');
        problems.forEach(p -> text.append("  refused ").append(p.get("kind")).append(' ').append(p.get("id"))
                .append(": ").append(p.get("reason")).append('\n'));
        differences.forEach(d -> text.append("  differs ").append(d.get("kind")).append(' ').append(d.get("id"))
                .append(": ").append(d.get("reason")).append(" (kept as in the table)\n"));
        return text.toString();
    }
}
