package dev.tokenissuer.grant;

import dev.tokenissuer.store.ClientSecretCredential;
import dev.tokenissuer.store.LegacySecretHash;
import dev.tokenissuer.store.SecretHasher;
import dev.tokenissuer.store.ServiceUserState;
import dev.tokenissuer.testing.FakeCredentialStore;
import dev.tokenissuer.testing.FakeLegacySecrets;
import dev.tokenissuer.testing.FrontierHashes;
import dev.tokenissuer.token.TokenSubject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.assertThat;

/** A secret imported from Frontier (issue 19): its bcrypt hash checked once, within a budget, then replaced. */
class ImportedSecretTest {

    private static final String CLIENT_ID = "3f2c1b0a-9d8e-4f7a-8b6c-5d4e3f2a1b0c";
    private static final String SERVICE_USER = "0b6f3f0e-1c2d-4e5f-8a9b-0c1d2e3f4a5b";
    private static final String ORG = "7d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6";
    /** Frontier's shape, with a + that form-decoding turns into a space. */
    private static final String SECRET = "F4tCe3JTpTInBkPkIBGwNzr+VpZXbHmlgx5RGeofW1U";
    private static final String LEGACY_HASH = FrontierHashes.cost4(SECRET);

    private final FakeCredentialStore store = new FakeCredentialStore().with(
            new ClientSecretCredential(CLIENT_ID, SERVICE_USER, ORG, ServiceUserState.ENABLED, LEGACY_HASH));
    private final FakeLegacySecrets legacy = new FakeLegacySecrets(store, 3);
    private final Grants grants = new Grants(List.of(new ClientCredentialsGrant()),
            List.of(new ClientSecretAuthentication(store.withLegacySecrets(legacy))));

    private static TokenRequest inBody(String secret) {
        return new TokenRequest("client_credentials",
                Map.of(TokenRequest.CLIENT_ID, CLIENT_ID, TokenRequest.CLIENT_SECRET, secret), false);
    }

    /** As the parser makes a Basic header that was not form-encoded: the decoded secret, and the secret as sent. */
    private static TokenRequest rawBasic(String secret) {
        Map<String, String> parameters = new HashMap<>(Map.of(TokenRequest.CLIENT_ID, CLIENT_ID,
                TokenRequest.CLIENT_SECRET, secret.replace('+', ' ')));
        parameters.put(TokenRequest.BASIC_SECRET_AS_SENT, secret);
        return new TokenRequest("client_credentials", parameters, true);
    }

    private static OAuthError refusal(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        return catchThrowableOfType(OAuthException.class, call).error();
    }

    private String storedHash() {
        return store.findClientSecret(CLIENT_ID).orElseThrow().secretHash();
    }

    @Test
    @DisplayName("an imported secret gets a token on first use, and its bcrypt hash is replaced by a native one")
    void firstUseUpgrades() {
        TokenSubject subject = grants.authorize(inBody(SECRET), new RecordedUses());

        assertThat(subject.serviceUserId()).isEqualTo(SERVICE_USER);
        assertThat(legacy.replaced()).containsExactly(CLIENT_ID);
        assertThat(LegacySecretHash.isLegacy(storedHash())).isFalse();
        assertThat(SecretHasher.matches(SECRET, storedHash())).isTrue();
    }

    @Test
    @DisplayName("after the upgrade the same secret works again, natively, taking no legacy check")
    void secondUseIsNative() {
        grants.authorize(inBody(SECRET), new RecordedUses());
        int checks = legacy.checksTaken(CLIENT_ID);

        assertThat(grants.authorize(inBody(SECRET), new RecordedUses()).credentialId()).isEqualTo(CLIENT_ID);
        assertThat(grants.authorize(rawBasic(SECRET), new RecordedUses()).credentialId()).isEqualTo(CLIENT_ID);
        assertThat(legacy.checksTaken(CLIENT_ID)).isEqualTo(checks);
    }

    @Test
    @DisplayName("a Frontier client's raw Basic header (+ not form-encoded) authenticates, before and after the upgrade")
    void rawBasicHeader() {
        assertThat(grants.authorize(rawBasic(SECRET), new RecordedUses()).credentialId()).isEqualTo(CLIENT_ID);
        assertThat(legacy.checksTaken(CLIENT_ID)).as("one bcrypt check, of the raw form only").isEqualTo(1);
        assertThat(SecretHasher.matches(SECRET, storedHash())).isTrue();
        assertThat(grants.authorize(rawBasic(SECRET), new RecordedUses()).credentialId()).isEqualTo(CLIENT_ID);
    }

    @Test
    @DisplayName("a native secret sent raw in a Basic header is found under its form-decoded form only once")
    void nativeSecretRawForm() {
        String nativeId = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
        store.with(new ClientSecretCredential(nativeId, SERVICE_USER, ORG, ServiceUserState.ENABLED,
                SecretHasher.hash("a+b")));
        Map<String, String> parameters = new HashMap<>(Map.of(TokenRequest.CLIENT_ID, nativeId,
                TokenRequest.CLIENT_SECRET, "a b", TokenRequest.BASIC_SECRET_AS_SENT, "a+b"));

        assertThat(grants.authorize(new TokenRequest("client_credentials", parameters, true), new RecordedUses()).credentialId())
                .isEqualTo(nativeId);
        assertThat(legacy.checksTaken(nativeId)).isZero();
    }

    @Test
    @DisplayName("a wrong secret under a legacy hash is bad_secret, takes one check, and leaves the hash")
    void wrongSecret() {
        OAuthError error = refusal(() -> grants.authorize(inBody(SECRET.replace('F', 'G')), new RecordedUses()));

        assertThat(error.code()).isEqualTo(OAuthError.Code.INVALID_CLIENT);
        assertThat(error.reason()).isEqualTo(RefusalReason.BAD_SECRET);
        assertThat(legacy.checksTaken(CLIENT_ID)).isEqualTo(1);
        assertThat(storedHash()).isEqualTo(LEGACY_HASH);
    }

    @Test
    @DisplayName("past the budget even the right secret is refused as legacy_hash_refused, without a bcrypt check")
    void budgetSpent() {
        for (int i = 0; i < 3; i++) {
            refusal(() -> grants.authorize(inBody(SECRET.replace('F', 'G')), new RecordedUses()));
        }

        OAuthError error = refusal(() -> grants.authorize(inBody(SECRET), new RecordedUses()));

        assertThat(error.code()).isEqualTo(OAuthError.Code.INVALID_CLIENT);
        assertThat(error.reason()).isEqualTo(RefusalReason.LEGACY_HASH_REFUSED);
        assertThat(storedHash()).isEqualTo(LEGACY_HASH);
    }

    @Test
    @DisplayName("a secret that cannot be Frontier's (not base64) is bad_secret without taking a check")
    void notBase64() {
        OAuthError error = refusal(() -> grants.authorize(inBody("not a frontier secret"), new RecordedUses()));

        assertThat(error.reason()).isEqualTo(RefusalReason.BAD_SECRET);
        assertThat(legacy.checksTaken(CLIENT_ID)).isZero();
    }

    @Test
    @DisplayName("losing the hash's replacement to a concurrent upgrade still gets the token")
    void lostReplacement() {
        legacy.losingReplacements();

        assertThat(grants.authorize(inBody(SECRET), new RecordedUses()).credentialId()).isEqualTo(CLIENT_ID);
        assertThat(legacy.replaced()).isEmpty();
    }

    @Test
    @DisplayName("a disabled service user's imported secret stays refused, correct or not")
    void disabled() {
        String disabledId = "5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d";
        store.with(new ClientSecretCredential(disabledId, SERVICE_USER, ORG, ServiceUserState.DISABLED, LEGACY_HASH));
        Map<String, String> parameters = Map.of(TokenRequest.CLIENT_ID, disabledId, TokenRequest.CLIENT_SECRET, SECRET);

        OAuthError error = refusal(() -> grants.authorize(new TokenRequest("client_credentials", parameters, false), new RecordedUses()));

        assertThat(error.reason()).isEqualTo(RefusalReason.USER_DISABLED);
    }
}
