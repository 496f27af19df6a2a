package dev.tokenissuer.grant;

import dev.tokenissuer.store.CredentialIds;
import dev.tokenissuer.store.CredentialStore;
import dev.tokenissuer.store.ReplayGuard;
import dev.tokenissuer.token.TokenSubject;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code private_key_jwt} (RFC 7523 §2.2, OpenID Connect Core §9): the client proves itself with an assertion signed
 * by one of its service user's registered keys, so no secret is shared. {@code iss} and {@code sub} are the service
 * user, the header {@code kid} names its key, {@code aud} names this server, it lives at most five minutes, and its
 * {@code jti} is single use through the same retry-safe record as the jwt-bearer grant's. Every failure is
 * {@code invalid_client}.
 */
public final class PrivateKeyJwtAuthentication implements ClientAuthentication {

    public static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    public static final String CLIENT_ASSERTION_TYPE = "client_assertion_type";
    public static final String CLIENT_ASSERTION = "client_assertion";

    private final SignedAssertions assertions;
    private final AssertionRules rules;

    public PrivateKeyJwtAuthentication(CredentialStore store, ReplayGuard replayGuard, AssertionRules rules,
                                       Clock clock) {
        this.assertions = new SignedAssertions(store, replayGuard, clock);
        this.rules = rules;
    }

    @Override
    public List<String> methods() {
        return List.of("private_key_jwt");
    }

    @Override
    public Set<String> parameters() {
        return Set.of(CLIENT_ASSERTION_TYPE, CLIENT_ASSERTION, TokenRequest.CLIENT_ID);
    }

    @Override
    public boolean presentIn(TokenRequest request) {
        return request.parameter(CLIENT_ASSERTION_TYPE).isPresent() || request.parameter(CLIENT_ASSERTION).isPresent();
    }

    @Override
    public String methodOf(TokenRequest request) {
        return "private_key_jwt";
    }

    /** The client assertion's header kid, read through the raw-JWS gate and nothing else checked. */
    @Override
    public Optional<String> claimedKeyId(TokenRequest request) {
        return request.parameter(CLIENT_ASSERTION).flatMap(SignedAssertions::claimedKeyId);
    }

    /** The service user's subject; the assertion's use is recorded last, once the access is decided. */
    @Override
    public Established authenticate(TokenRequest request, RequestedAccess access) {
        if (request.basicAuth() || request.parameter(TokenRequest.CLIENT_SECRET).isPresent()) {
            // RFC 6749 §2.3: a client uses one authentication method per request.
            throw OAuthError.invalidRequest(
                    "client credentials must be sent in one way only: a client assertion or a secret").exception();
        }
        String type = request.parameter(CLIENT_ASSERTION_TYPE).orElseThrow(
                () -> OAuthError.missingCredentials("client_assertion_type is required").exception());
        String assertion = request.parameter(CLIENT_ASSERTION).orElseThrow(
                () -> OAuthError.missingCredentials("client_assertion is required").exception());
        if (!ASSERTION_TYPE.equals(type)) {
            throw OAuthError.invalidClient("client_assertion_type is not supported",
                    RefusalReason.UNSUPPORTED_AUTHENTICATION).exception();
        }
        Optional<String> clientId = request.clientId();
        try {
            return assertions.admit(assertion, rules, request, claims -> {
                if (claims.getIssuer() == null || !claims.getIssuer().equals(claims.getSubject())) {
                    throw AssertionFailure.ISSUER_NOT_SUBJECT.exception();
                }
                if (clientId.isPresent() && !CredentialIds.normalize(clientId.get())
                        .equals(CredentialIds.normalize(claims.getSubject()))) {
                    throw AssertionFailure.CLIENT_ID_MISMATCH.exception();
                }
            }, TokenSubject.VIA_PRIVATE_KEY_JWT, access);
        } catch (OAuthException refused) {
            if (refused.error().code() == OAuthError.Code.INVALID_GRANT) {
                // The same rules as the grant's assertion, answered as a failed client authentication (RFC 7523 §3.2).
                throw OAuthError.invalidClient(refused.error().description(), refused.error().reason()).exception();
            }
            throw refused;
        }
    }
}
