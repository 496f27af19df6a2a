package dev.tokenissuer.grant;

import dev.tokenissuer.token.TokenSubject;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code grant_type=client_credentials} (RFC 6749 §4.4): the authenticated client gets a token for its own service
 * user. All the work is client authentication, which runs before the grant.
 */
public final class ClientCredentialsGrant implements Grant {

    public static final String GRANT_TYPE = "client_credentials";

    @Override
    public String grantType() {
        return GRANT_TYPE;
    }

    @Override
    public Set<String> parameters() {
        return Set.of();
    }

    @Override
    public ClientAuthenticationRule clientAuthentication() {
        return ClientAuthenticationRule.REQUIRED;
    }

    /** The client's own subject, its access already decided by client authentication. */
    @Override
    public Established authorize(TokenRequest request, Optional<TokenSubject> client, RequestedAccess access) {
        return Established.of(client.orElseThrow(
                () -> new IllegalStateException("client_credentials without an authenticated client")));
    }

    /** The nil client id with a secret: one credential read that finds nothing, the secret check, a 401. */
    @Override
    public PrimingRequest primingRequest() {
        return new PrimingRequest(Map.of(TokenRequest.GRANT_TYPE, GRANT_TYPE,
                TokenRequest.CLIENT_ID, PrimingRequest.NIL_ID, TokenRequest.CLIENT_SECRET, "priming"), 401);
    }
}
