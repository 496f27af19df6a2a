package dev.tokenissuer.store;

import java.util.Locale;

/** Whether a service user may get tokens. Stored as the lower-case name, as Frontier spells it. */
public enum ServiceUserState {
    ENABLED, DISABLED;

    public String storedName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ServiceUserState fromStored(String value) {
        // Anything but an explicit "enabled" is treated as disabled: a damaged item must not grant access.
        return "enabled".equals(value) ? ENABLED : DISABLED;
    }
}
