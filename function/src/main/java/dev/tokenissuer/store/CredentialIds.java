package dev.tokenissuer.store;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Client ids and key ids are UUIDs we issued, stored in lower case. An id of any other form cannot exist, so a grant
 * need not spend a read on it. {@code tokenctl} reads the ids an operator types by the same rule, so an id the API
 * accepts is one the operator can revoke.
 */
public final class CredentialIds {

    private static final Pattern UUID = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private CredentialIds() {
    }

    /** The id as stored, if it can be one: UUIDs compare case-insensitively (RFC 9562). */
    public static Optional<String> normalize(String id) {
        if (id == null) {
            return Optional.empty();
        }
        String lower = id.toLowerCase(Locale.ROOT);
        return UUID.matcher(lower).matches() ? Optional.of(lower) : Optional.empty();
    }
}
