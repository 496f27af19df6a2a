package dev.tokenissuer.grant;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One way a client proves who it is at the token endpoint (RFC 6749 §2.3), run before the grant: always when the
 * grant wants an authenticated client, and whenever a request carries client credentials (a client that authenticates
 * must authenticate correctly, RFC 6749 §3.2.1). The client is a credential of a service user, so what it proves is
 * the subject a token would be issued to.
 */
public interface ClientAuthentication {

    /** Its names in discovery's {@code token_endpoint_auth_methods_supported} (RFC 8414). */
    List<String> methods();

    /** The request parameters it reads. */
    Set<String> parameters();

    /** Whether the request carries credentials of this kind at all. */
    boolean presentIn(TokenRequest request);

    /** The one of {@link #methods()} that {@code request} uses, for the audit line; only when {@link #presentIn}. */
    String methodOf(TokenRequest request);

    /**
     * The kid of the key the request's client credential names, in stored form, for the audit line: unverified, and
     * only when it has the form of one of our ids, so it is never a secret or arbitrary client input. Empty for a
     * method whose credential is the client id ({@link Grants.Claimed#clientId()} names that).
     */
    default Optional<String> claimedKeyId(TokenRequest request) {
        return Optional.empty();
    }

    /**
     * Authenticates the client; the subject carries what {@code access} decides on the credential's allowed sets
     * ({@link RequestedAccess#decide}), decided before the method records anything (a client assertion's use).
     *
     * @throws OAuthException when it does not authenticate: {@code invalid_client}, or {@code invalid_request} when
     *                        the credentials are incomplete; {@code invalid_scope} or {@code invalid_target} when
     *                        the request asks for more than the client is allowed
     */
    Established authenticate(TokenRequest request, RequestedAccess access);
}
