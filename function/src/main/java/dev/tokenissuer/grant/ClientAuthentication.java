package dev.tokenissuer.grant;

import dev.tokenissuer.token.TokenSubject;

import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * One way a client proves who it is at the token endpoint (RFC 6749 §2.3), run before the grant when the grant
 * wants an authenticated client. The client is a credential of a service user, so what it proves is the subject a
 * token would be issued to.
 */
public interface ClientAuthentication {

    /** Its names in discovery's {@code token_endpoint_auth_methods_supported} (RFC 8414). */
    List<String> methods();

    /** The request parameters it reads. */
    Set<String> parameters();

    /** Whether the request carries credentials of this kind at all. */
    boolean presentIn(TokenRequest request);

    /**
     * Authenticates the client; the subject carries the scopes and audiences the request is granted
     * ({@link RequestedAccess#decide}).
     *
     * @throws OAuthException when it does not authenticate: {@code invalid_client}, or {@code invalid_request} when
     *                        the credentials are incomplete; {@code invalid_scope} or {@code invalid_target} when
     *                        the request asks for more than the client is allowed
     */
    TokenSubject authenticate(TokenRequest request);

    /**
     * Authenticates the client and runs {@code then} for it. A method that records something on the way (a client
     * assertion's {@code jti}) overrides this to give it back when {@code then} fails, so a refused or failed request
     * spends nothing.
     */
    default <T> T authenticateAndThen(TokenRequest request, Function<TokenSubject, T> then) {
        return then.apply(authenticate(request));
    }
}
