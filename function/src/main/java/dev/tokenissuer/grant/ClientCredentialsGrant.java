package dev.tokenissuer.grant;

import dev.tokenissuer.api.ApiError;
import dev.tokenissuer.api.ApiException;
import dev.tokenissuer.api.TokenRequest;
import dev.tokenissuer.store.ClientSecretCredential;
import dev.tokenissuer.store.CredentialIds;
import dev.tokenissuer.store.CredentialStore;
import dev.tokenissuer.store.SecretHasher;
import dev.tokenissuer.store.ServiceUserState;

import java.util.Optional;

/** {@code grant_type=client_credentials}: a client id and secret, checked against the stored hash. */
public final class ClientCredentialsGrant implements Grant {

    public static final String GRANT_TYPE = "client_credentials";

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
        String clientId = request.clientId().orElseThrow(
                () -> new ApiException(ApiError.invalidRequest("client_id is required")));
        String secret = request.clientSecret().orElseThrow(
                () -> new ApiException(ApiError.invalidRequest("client_secret is required")));

        Optional<ClientSecretCredential> found = CredentialIds.normalize(clientId).flatMap(store::findClientSecret);
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
