package dev.tokenissuer.grant;

import dev.tokenissuer.api.ApiError;
import dev.tokenissuer.api.ApiException;
import dev.tokenissuer.api.TokenRequest;
import dev.tokenissuer.store.ClientSecretCredential;
import dev.tokenissuer.store.CredentialStore;
import dev.tokenissuer.store.SecretHasher;
import dev.tokenissuer.store.ServiceUserState;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** {@code grant_type=client_credentials}: a client id and secret, checked against the stored hash. */
public final class ClientCredentialsGrant implements Grant {

    public static final String GRANT_TYPE = "client_credentials";

    /** Client ids are UUIDs we issued; anything else cannot exist and is not worth a read. */
    private static final Pattern CLIENT_ID = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final CredentialStore store;

    public ClientCredentialsGrant(CredentialStore store) {
        this.store = store;
    }

    @Override
    public String grantType() {
        return GRANT_TYPE;
    }

    @Override
    public TokenSubject authenticate(TokenRequest request) {
        // UUIDs compare case-insensitively (RFC 9562); ours are stored in lower case.
        String clientId = request.clientId().orElseThrow(
                () -> new ApiException(ApiError.invalidRequest("client_id is required"))).toLowerCase(Locale.ROOT);
        String secret = request.clientSecret().orElseThrow(
                () -> new ApiException(ApiError.invalidRequest("client_secret is required")));

        Optional<ClientSecretCredential> found = CLIENT_ID.matcher(clientId).matches()
                ? store.findClientSecret(clientId)
                : Optional.empty();
        // Both branches hash and compare once, so response time does not tell an unknown client from a wrong secret.
        boolean authenticated = found.isPresent()
                ? SecretHasher.matches(secret, found.get().secretHash())
                : SecretHasher.matchesNothing(secret);
        if (!authenticated) {
            throw new ApiException(ApiError.invalidClient());
        }
        ClientSecretCredential credential = found.get();
        if (credential.state() != ServiceUserState.ENABLED) {
            throw new ApiException(ApiError.serviceUserDisabled());
        }
        return new TokenSubject(credential.serviceUserId(), credential.orgId(), credential.clientId());
    }
}
