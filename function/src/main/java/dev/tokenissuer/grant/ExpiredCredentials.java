package dev.tokenissuer.grant;

import dev.tokenissuer.store.CredentialValidity;

import java.time.Instant;
import java.util.Optional;

/**
 * The refusal of a credential past its expiry: 401 {@code invalid_client}, as for any failed client authentication,
 * with its own reason for the audit line. Checked only once the credential proved itself (the secret matched, the
 * signature verified), so only its holder learns that it expired.
 */
final class ExpiredCredentials {

    private ExpiredCredentials() {
    }

    static void refuseIfExpired(Optional<Instant> validUntil, Instant now) {
        if (CredentialValidity.isExpired(validUntil, now)) {
            throw OAuthError.invalidClient(RefusalReason.CREDENTIAL_EXPIRED).exception();
        }
    }
}
