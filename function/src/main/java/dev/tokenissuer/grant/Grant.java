package dev.tokenissuer.grant;

import dev.tokenissuer.token.TokenSubject;

import java.util.Optional;
import java.util.Set;

/**
 * One OAuth grant type, self-contained: it names its {@code grant_type}, the parameters it reads and whether its
 * client authenticates, and turns a request into the service user a token is issued to. The parser's accepted
 * parameters, discovery's {@code grant_types_supported} and SnapStart priming all derive from the registered
 * grants ({@link Grants}), so adding a grant is this class and one line in the wiring.
 */
public interface Grant {

    /** Whether the client authenticates (RFC 6749 §3.2.1) before the grant runs. */
    enum ClientAuthenticationRule {
        /** A client authentication method must succeed; its subject is handed to the grant. */
        REQUIRED,
        /**
         * The grant names the token's subject itself (an assertion); client credentials, when the request carries
         * any, must still authenticate, and the client's subject is handed to the grant.
         */
        WHEN_PRESENT
    }

    /** The {@code grant_type} value this grant answers to. */
    String grantType();

    /** The request parameters this grant reads, besides {@code grant_type} and the client's credentials. */
    Set<String> parameters();

    ClientAuthenticationRule clientAuthentication();

    /**
     * The parameter that an {@code Authorization: Bearer} header carries for this grant, if it may come there: Frontier's
     * clients send their jwt-bearer assertion so. A Bearer header with any other grant is a failed client
     * authentication.
     */
    default Optional<String> bearerParameter() {
        return Optional.empty();
    }

    /**
     * The credential id the request names for this grant to check (a key id), for the audit line: unverified, and
     * only when it has the form of one of our ids, so it is never a secret or arbitrary client input. Empty when the
     * grant reads no credential of its own (the client's is then the credential).
     */
    default Optional<String> claimedCredential(TokenRequest request) {
        return Optional.empty();
    }

    /**
     * Decides who the token is for and what it grants. A grant that reads its own credential decides the access with
     * {@code access} on that credential's allowed sets, before it records anything, and returns the use it recorded;
     * one that takes the authenticated client's subject finds the access already decided on it.
     *
     * @param client the authenticated client, when client authentication ran (always when
     *               {@link #clientAuthentication()} is {@code REQUIRED})
     * @param access what the request asks for, parsed once for the whole request
     * @throws OAuthException with the error to answer when the request does not earn a token
     */
    Established authorize(TokenRequest request, Optional<TokenSubject> client, RequestedAccess access);

    /**
     * A request for SnapStart priming: it runs this grant's code as far as its first read and is refused there, so
     * nothing is signed or written.
     */
    PrimingRequest primingRequest();
}
