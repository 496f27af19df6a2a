package dev.tokenissuer.grant;

import dev.tokenissuer.store.ClientSecretCredential;
import dev.tokenissuer.store.LegacySecretHash;
import dev.tokenissuer.store.LegacySecrets;
import dev.tokenissuer.store.SecretHasher;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The check of a secret imported from Frontier, still under Frontier's bcrypt hash (issue 19): within the client
 * id's budget ({@link LegacySecrets#takeCheck}), one bcrypt check, and on a match the hash's replacement by ours in
 * the same request, so that the credential's next use is a native one. The event is logged as
 * {@code legacy_hash_upgraded}; a request past the budget is refused as {@link RefusalReason#LEGACY_HASH_REFUSED}.
 */
final class LegacySecretAuthentication {

    /** What Frontier issues: standard base64 (RFC 4648 §4), which a form-decoded {@code +} (a space) is not. */
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]+={0,2}");

    private final LegacySecrets secrets;
    private final Consumer<String> upgradedLog;

    LegacySecretAuthentication(LegacySecrets secrets, Consumer<String> upgradedLog) {
        this.secrets = secrets;
        this.upgradedLog = upgradedLog;
    }

    LegacySecretAuthentication(LegacySecrets secrets) {
        this(secrets, LegacySecretAuthentication::logUpgrade);
    }

    /**
     * Whether one of {@code forms} (the secret as form-decoded, then as sent) is {@code credential}'s secret. Only
     * one form is checked, the one that can be a Frontier secret: a check costs a second of CPU.
     *
     * @throws OAuthException {@code invalid_client}, without a check, when the budget is spent
     */
    boolean matches(ClientSecretCredential credential, List<String> forms) {
        String candidate = forms.stream().filter(form -> BASE64.matcher(form).matches()).findFirst().orElse(null);
        if (candidate == null) {
            return false;
        }
        if (!secrets.takeCheck(credential.clientId())) {
            throw OAuthError.invalidClient(RefusalReason.LEGACY_HASH_REFUSED).exception();
        }
        if (!LegacySecretHash.matches(candidate, credential.secretHash())) {
            return false;
        }
        // Losing to a concurrent replacement is fine: that request checked the same secret, wrote its hash and logs it.
        if (secrets.replace(credential.clientId(), credential.secretHash(), SecretHasher.hash(candidate))) {
            upgradedLog.accept(credential.clientId());
        }
        return true;
    }

    /** One JSON line beside the audit line, for operators to watch a migration finish (docs/migration.md). */
    private static void logUpgrade(String clientId) {
        // A client id here is a stored credential's, a normalized UUID: nothing to escape.
        System.out.println("{\"timestamp\":\"" + Instant.now() + "\",\"level\":\"INFO\",\"event\":\"legacy_hash_upgraded\","
                + "\"client_id\":\"" + clientId + "\"}");
    }
}
