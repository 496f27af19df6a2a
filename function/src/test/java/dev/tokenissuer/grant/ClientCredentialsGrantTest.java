package dev.tokenissuer.grant;

import dev.tokenissuer.api.ApiError;
import dev.tokenissuer.grant.TokenRequest;
import dev.tokenissuer.store.ClientSecretCredential;
import dev.tokenissuer.store.ServiceUserState;
import dev.tokenissuer.testing.FakeCredentialStore;
import dev.tokenissuer.token.TokenSubject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.tokenissuer.testing.ApiErrors.errorOf;
import static org.assertj.core.api.Assertions.assertThat;

class ClientCredentialsGrantTest {

    private static final String ENABLED_ID = "11111111-2222-4333-8444-555555555555";
    private static final String DISABLED_ID = "66666666-7777-4888-9999-aaaaaaaaaaaa";
    private static final String UNKNOWN_ID = "bbbbbbbb-cccc-4ddd-8eee-ffffffffffff";
    private static final String SECRET = "Zm9vYmFyLXNlY3JldC1mb3ItdW5pdC10ZXN0cy0wMDE";
    private static final String SERVICE_USER = "0b6f3f0e-1c2d-4e5f-8a9b-0c1d2e3f4a5b";
    private static final String ORG = "7d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6";

    private final FakeCredentialStore store = new FakeCredentialStore()
            .with(ENABLED_ID, SECRET, SERVICE_USER, ORG, ServiceUserState.ENABLED)
            .with(DISABLED_ID, SECRET, SERVICE_USER, ORG, ServiceUserState.DISABLED);
    private final ClientCredentialsGrant grant = new ClientCredentialsGrant();
    private final Grants grants = grants(store);

    /** The grant as the token endpoint runs it: client secret authentication first. */
    private static Grants grants(FakeCredentialStore store) {
        return new Grants(List.of(new ClientCredentialsGrant()), List.of(new ClientSecretAuthentication(store)));
    }

    private static TokenRequest request(String clientId, String secret) {
        Map<String, String> parameters = new HashMap<>();
        Optional.ofNullable(clientId).ifPresent(id -> parameters.put(TokenRequest.CLIENT_ID, id));
        Optional.ofNullable(secret).ifPresent(value -> parameters.put(TokenRequest.CLIENT_SECRET, value));
        return new TokenRequest("client_credentials", parameters, false);
    }

    private ApiError failure(String clientId, String secret) {
        return errorOf(() -> grants.authorize(request(clientId, secret), new RecordedUses()));
    }

    @Test
    @DisplayName("answers to grant_type client_credentials")
    void grantType() {
        assertThat(grant.grantType()).isEqualTo("client_credentials");
    }

    @Test
    @DisplayName("authenticates the right secret and returns the service user, its org and the credential")
    void success() {
        TokenSubject subject = grants.authorize(request(ENABLED_ID, SECRET), new RecordedUses());

        assertThat(subject).isEqualTo(new TokenSubject(SERVICE_USER, ORG, ENABLED_ID, TokenSubject.VIA_CLIENT_SECRET));
        assertThat(store.lookups()).containsExactly(ENABLED_ID);
    }

    @Test
    @DisplayName("accepts the client id in upper case: UUIDs compare case-insensitively")
    void upperCaseClientId() {
        TokenSubject subject = grants.authorize(request(ENABLED_ID.toUpperCase(java.util.Locale.ROOT), SECRET),
                new RecordedUses());

        assertThat(subject.credentialId()).isEqualTo(ENABLED_ID);
    }

    @Test
    @DisplayName("a wrong secret, an unknown client and a malformed client id get the very same 401")
    void indistinguishableFailures() {
        ApiError wrongSecret = failure(ENABLED_ID, SECRET + "x");
        ApiError unknownClient = failure(UNKNOWN_ID, SECRET);
        ApiError malformedId = failure("not-a-uuid", SECRET);

        assertThat(wrongSecret).isEqualTo(ApiError.of(OAuthError.invalidClient()));
        assertThat(unknownClient).isEqualTo(wrongSecret);
        assertThat(malformedId).isEqualTo(wrongSecret);
        assertThat(wrongSecret.httpStatus()).isEqualTo(401);
        assertThat(wrongSecret.grpcCode()).isEqualTo(16);
        assertThat(wrongSecret.message()).isEqualTo("not authenticated");
        assertThat(wrongSecret.error()).isEqualTo("invalid_client");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"not-a-uuid", "11111111-2222-4333-8444-55555555555", "11111111222243338444555555555555",
            "11111111-2222-4333-8444-555555555555 ", "../secret#11111111-2222-4333-8444-555555555555",
            "11111111-2222-4333-8444-555555555555\n"})
    @DisplayName("does not read the store for a client id that is not a UUID")
    void malformedClientIdIsNotLookedUp(String clientId) {
        ApiError error = failure(clientId, SECRET);

        assertThat(error).isEqualTo(ApiError.of(OAuthError.invalidClient()));
        assertThat(store.lookups()).isEmpty();
    }

    @Test
    @DisplayName("a disabled service user with the correct secret gets 403")
    void disabledWithCorrectSecret() {
        ApiError error = failure(DISABLED_ID, SECRET);

        assertThat(error).isEqualTo(ApiError.of(OAuthError.serviceUserDisabled()));
        assertThat(error.httpStatus()).isEqualTo(403);
        assertThat(error.grpcCode()).isEqualTo(7);
    }

    @Test
    @DisplayName("a disabled service user with a wrong secret gets the plain 401, not revealing the state")
    void disabledWithWrongSecret() {
        assertThat(failure(DISABLED_ID, "wrong")).isEqualTo(ApiError.of(OAuthError.invalidClient()));
    }

    @Test
    @DisplayName("a missing client_id is 400 invalid_request")
    void missingClientId() {
        ApiError error = failure(null, SECRET);

        assertThat(error.httpStatus()).isEqualTo(400);
        assertThat(error.grpcCode()).isEqualTo(3);
        assertThat(error.error()).isEqualTo("invalid_request");
        assertThat(store.lookups()).isEmpty();
    }

    @Test
    @DisplayName("a missing client_secret is 400 invalid_request")
    void missingClientSecret() {
        ApiError error = failure(ENABLED_ID, null);

        assertThat(error.httpStatus()).isEqualTo(400);
        assertThat(error.grpcCode()).isEqualTo(3);
        assertThat(error.error()).isEqualTo("invalid_request");
        assertThat(store.lookups()).isEmpty();
    }

    @Test
    @DisplayName("a credential whose stored hash is the plaintext secret does not authenticate with it")
    void plaintextStoredHashIsNotASecret() {
        FakeCredentialStore damaged = new FakeCredentialStore().with(new ClientSecretCredential(
                ENABLED_ID, SERVICE_USER, ORG, ServiceUserState.ENABLED, SECRET));

        ApiError error = errorOf(() -> grants(damaged).authorize(request(ENABLED_ID, SECRET),
                new RecordedUses()));

        assertThat(error).isEqualTo(ApiError.of(OAuthError.invalidClient()));
    }
}
