package dev.tokenissuer.grant;

import dev.tokenissuer.store.ClientSecretCredential;
import dev.tokenissuer.store.CredentialIds;
import dev.tokenissuer.store.CredentialStore;
import dev.tokenissuer.store.LegacySecretHash;
import dev.tokenissuer.store.SecretHasher;
import dev.tokenissuer.store.ServiceUserState;
import dev.tokenissuer.token.TokenSubject;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code client_secret_basic} and {@code client_secret_post}: a client id and secret, in an {@code Authorization:
 * Basic} header or in the body, checked against the stored hash. The subject carries the access the request earns
 * from the credential's allowed sets ({@link RequestedAccess}), decided only once the client has authenticated.
 */
public final class ClientSecretAuthentication implements ClientAuthentication {

    private final CredentialStore store;
    private final LegacySecretAuthentication legacy;
    private final Clock clock;

    public ClientSecretAuthentication(CredentialStore store) {
        this(store, Clock.systemUTC());
    }

    public ClientSecretAuthentication(CredentialStore store, Clock clock) {
        this.store = store;
        this.legacy = new LegacySecretAuthentication(store.legacySecrets());
        this.clock = clock;
    }

    @Override
    public List<String> methods() {
        return List.of("client_secret_basic", "client_secret_post");
    }

    @Override
    public Set<String> parameters() {
        return Set.of(TokenRequest.CLIENT_ID, TokenRequest.CLIENT_SECRET);
    }

    @Override
    public boolean presentIn(TokenRequest request) {
        return request.parameter(TokenRequest.CLIENT_SECRET).isPresent();
    }

    @Override
    public String methodOf(TokenRequest request) {
        return request.basicAuth() ? "client_secret_basic" : "client_secret_post";
    }

    @Override
    public Established authenticate(TokenRequest request, RequestedAccess access) {
        String clientId = request.clientId().orElseThrow(
                () -> OAuthError.missingCredentials("client_id is required").exception());
        String secret = request.parameter(TokenRequest.CLIENT_SECRET).orElseThrow(
                () -> OAuthError.missingCredentials("client_secret is required").exception());

        Optional<ClientSecretCredential> found = CredentialIds.normalize(clientId).flatMap(store::findClientSecret);
        List<String> forms = request.basicSecretAsSent().map(raw -> List.of(secret, raw)).orElse(List.of(secret));
        // Both branches hash and compare each form once, so the secret check costs the same for an unknown client as
        // for a wrong secret; the read before it does not: see docs/operations.md ("What response times reveal").
        // A secret imported from Frontier is checked (and upgraded) apart, within a budget.
        boolean authenticated = found.isPresent() && LegacySecretHash.isLegacy(found.get().secretHash())
                ? legacy.matches(found.get(), forms)
                : forms.stream().map(form -> found.isPresent()
                        ? SecretHasher.matches(form, found.get().secretHash())
                        : SecretHasher.matchesNothing(form)).reduce(false, Boolean::logicalOr);
        if (!authenticated) {
            throw OAuthError.invalidClient(found.isPresent() ? RefusalReason.BAD_SECRET : RefusalReason.UNKNOWN_CLIENT)
                    .exception();
        }
        ClientSecretCredential credential = found.get();
        ExpiredCredentials.refuseIfExpired(credential.validUntil(), clock.instant());
        if (credential.state() != ServiceUserState.ENABLED) {
            throw OAuthError.serviceUserDisabled().exception();
        }
        return Established.of(new TokenSubject(credential.serviceUserId(), credential.orgId(), credential.clientId(),
                TokenSubject.VIA_CLIENT_SECRET, access.decide(credential.allowed()))
                .credentialValidUntil(credential.validUntil()));
    }
}
