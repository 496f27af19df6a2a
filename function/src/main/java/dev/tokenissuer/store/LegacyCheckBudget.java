package dev.tokenissuer.store;

import java.time.Duration;

/**
 * How many checks of an imported secret's legacy bcrypt hash a window allows, per client id (issue 19). A check is
 * about a second of CPU, and anyone who knows an imported client id can ask for one; past the budget the function
 * refuses without checking until the window ends, so that id costs at most {@link #checksPerHour()} checks an hour.
 * A correct secret takes one check and upgrades the hash, after which the budget no longer applies.
 *
 * @param checks checks a window allows
 * @param window how long a window lasts, from its first check
 */
public record LegacyCheckBudget(int checks, Duration window) {

    /** 5 checks per 15 minutes: 20 an hour, about 24 s of CPU at cost 14 (docs/migration.md has the measurement). */
    public static final LegacyCheckBudget DEFAULT = new LegacyCheckBudget(5, Duration.ofMinutes(15));

    public LegacyCheckBudget {
        if (checks < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("a budget allows at least one check in a positive window");
        }
    }

    /** The most checks one client id can cost in an hour. */
    public long checksPerHour() {
        return (long) Math.ceil(checks * (double) Duration.ofHours(1).toSeconds() / window.toSeconds());
    }
}
