import dev.tokenissuer.grant.ClientCredentialsGrant;
import dev.tokenissuer.grant.ClientSecretAuthentication;
import dev.tokenissuer.grant.Grants;
import dev.tokenissuer.grant.OAuthException;
import dev.tokenissuer.grant.TokenRequest;
import dev.tokenissuer.store.ClientSecretCredential;
import dev.tokenissuer.store.LegacyCheckBudget;
import dev.tokenissuer.store.ServiceUserState;
import dev.tokenissuer.testing.FakeCredentialStore;
import dev.tokenissuer.testing.FakeLegacySecrets;
import dev.tokenissuer.testing.FrontierHashes;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Issue 19's DoS bound (docs/migration.md#figures): the function's own CPU for a wrong secret against an imported
 * client id still under Frontier's bcrypt hash (Go-made, cost 14), for one refused past the budget, and for a
 * correct first use; and what LegacyCheckBudget.DEFAULT lets one client id cost per hour. In-process, the project's
 * in-memory store.
 */
public class LegacyHashCpu {

    private static final String CLIENT_ID = "3f2c1b0a-9d8e-4f7a-8b6c-5d4e3f2a1b0c";

    public static void main(String[] args) {
        int checks = Integer.parseInt(args.length > 0 ? args[0] : "5");
        FrontierHashes.Pair pair = FrontierHashes.withPlus();
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

        long[] failed = new long[checks];
        Grants open = grants(pair.hash(), Integer.MAX_VALUE);
        for (int i = 0; i < checks; i++) {
            long c0 = threads.getCurrentThreadCpuTime();
            refuse(open, pair.secret().replace('A', 'B').replace('a', 'b') + "");
            failed[i] = threads.getCurrentThreadCpuTime() - c0;
        }
        Grants spent = grants(pair.hash(), 0);
        long[] refused = new long[1000];
        for (int i = 0; i < refused.length; i++) {
            long c0 = threads.getCurrentThreadCpuTime();
            refuse(spent, pair.secret());
            refused[i] = threads.getCurrentThreadCpuTime() - c0;
        }
        long c0 = threads.getCurrentThreadCpuTime();
        grants(pair.hash(), 1).authorize(request(pair.secret()), new dev.tokenissuer.grant.RecordedUses());
        long firstUse = threads.getCurrentThreadCpuTime() - c0;

        LegacyCheckBudget budget = LegacyCheckBudget.DEFAULT;
        double failedSeconds = median(failed) / 1e9;
        System.out.printf("legacy-hash-cpu: wrong secret under a cost-14 bcrypt hash: median %.2f s CPU (%d checks)%n",
                failedSeconds, checks);
        System.out.printf("legacy-hash-cpu: refused past the budget, no check: median %.1f us CPU%n", median(refused) / 1e3);
        System.out.printf("legacy-hash-cpu: correct first use (check + native hash, store in memory): %.2f s CPU%n",
                firstUse / 1e9);
        System.out.printf("legacy-hash-cpu: budget %d checks per %d min: at most %d checks, %.0f s CPU per imported "
                        + "client_id per hour (%.1f%% of one vCPU)%n", budget.checks(), budget.window().toMinutes(),
                budget.checksPerHour(), budget.checksPerHour() * failedSeconds,
                100 * budget.checksPerHour() * failedSeconds / 3600);
    }

    private static Grants grants(String hash, int budget) {
        FakeCredentialStore store = new FakeCredentialStore().with(new ClientSecretCredential(CLIENT_ID,
                "0b6f3f0e-1c2d-4e5f-8a9b-0c1d2e3f4a5b", "org", ServiceUserState.ENABLED, hash));
        store.withLegacySecrets(new FakeLegacySecrets(store, budget));
        return new Grants(List.of(new ClientCredentialsGrant()), List.of(new ClientSecretAuthentication(store)));
    }

    private static TokenRequest request(String secret) {
        return new TokenRequest("client_credentials",
                Map.of(TokenRequest.CLIENT_ID, CLIENT_ID, TokenRequest.CLIENT_SECRET, secret), false);
    }

    private static void refuse(Grants grants, String secret) {
        try {
            grants.authorize(request(secret), new dev.tokenissuer.grant.RecordedUses());
            throw new IllegalStateException("a wrong or over-budget secret got through");
        } catch (OAuthException expected) {
            // The point.
        }
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
