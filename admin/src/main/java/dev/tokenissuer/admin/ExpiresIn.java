package dev.tokenissuer.admin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --expires-in}: a duration written as a whole number and a unit, {@code s}, {@code m}, {@code h} or {@code d}
 * ({@code 90d}, {@code 12h}), from a minute to ten years; and how credentials' age and expiry are shown.
 */
final class ExpiresIn {

    static final Duration MIN = Duration.ofMinutes(1);
    static final Duration MAX = Duration.ofDays(3650);
    private static final Pattern FORM = Pattern.compile("([0-9]{1,9})([smhd])");

    private ExpiresIn() {
    }

    static Duration parse(String text) {
        Matcher matcher = FORM.matcher(text.trim());
        if (!matcher.matches()) {
            throw new AdminException("--expires-in is a whole number and a unit s, m, h or d (90d, 12h), not '"
                    + text + "'");
        }
        long amount = Long.parseLong(matcher.group(1));
        Duration duration = switch (matcher.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
        if (duration.compareTo(MIN) < 0 || duration.compareTo(MAX) > 0) {
            throw new AdminException("--expires-in must be between 1m and 3650d, not " + text.trim());
        }
        return duration;
    }

    /** When a credential created now with {@code --expires-in text} (if given) stops working. */
    static Optional<Instant> validUntil(Optional<String> text, Clock clock) {
        return text.map(ExpiresIn::parse).map(duration -> clock.instant().plus(duration)
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }
}
