package dev.tokenissuer.grant;

import dev.tokenissuer.api.TokenRequest;

/** One OAuth grant type: turns a decoded token request into the service user a token is issued to. */
public interface Grant {

    /** The {@code grant_type} value this grant answers to. */
    String grantType();

    /**
     * Authenticates the request.
     *
     * @throws dev.tokenissuer.api.ApiException with the error to answer when the request does not earn a token
     */
    TokenSubject authenticate(TokenRequest request);
}
