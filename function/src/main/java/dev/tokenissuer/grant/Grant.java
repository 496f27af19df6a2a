package dev.tokenissuer.grant;

import dev.tokenissuer.token.TokenSubject;

import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

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
        /** The grant authenticates the request itself (an assertion); client credentials are not read. */
        NOT_USED
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
     * client authenticates before the grant (the client id is the credential then).
     */
    default Optional<String> claimedCredential(TokenRequest request) {
        return Optional.empty();
    }

    /**
     * Decides who the token is for and what it grants. A grant that reads its own credential decides the access with
     * {@link RequestedAccess#decide} on that credential's allowed sets, before it records anything; one that takes
     * the authenticated client's subject finds the access already decided on it.
     *
     * @param client the authenticated client when {@link #clientAuthentication()} is {@code REQUIRED}, else empty
     * @throws OAuthException with the error to answer when the request does not earn a token
     */
    TokenSubject authorize(TokenRequest request, Optional<TokenSubject> client);

    /**
     * Decides who the token is for and has {@code issue} make it. A grant that records something before the token
     * exists (a used assertion) overrides this to take the record back when {@code issue} fails, so a client's retry
     * of a request we failed is not refused for our own fault.
     */
    default <T> T authorizeAndIssue(TokenRequest request, Optional<TokenSubject> client,
                                    Function<TokenSubject, T> issue) {
        return issue.apply(authorize(request, client));
    }

    /**
     * A request for SnapStart priming: it runs this grant's code as far as its first read and is refused there, so
     * nothing is signed or written.
     */
    PrimingRequest primingRequest();
}
