package dev.tokenissuer.api;

import dev.tokenissuer.token.IssuedToken;
import dev.tokenissuer.token.TokenSubject;

import java.time.Instant;
import java.util.Optional;

/**
 * What the token endpoint learned of one request, as far as it got, for the audit line: the grant, the credential
 * named, who the token is for and the token's {@code jti} and {@code exp}. Never a secret, an assertion or a token.
 * One per request, filled on the request's thread.
 */
public final class TokenAudit {

    private String grantType;
    private String clientId;
    private String kid;
    private TokenSubject subject;
    private String jti;
    private Instant expiresAt;

    void grantType(String registeredGrantType) {
        this.grantType = registeredGrantType;
    }

    /** The credential the request names: a client id, or the kid of the key that signed its assertion. */
    void credential(String id, boolean isKey) {
        if (isKey) {
            this.kid = id;
        } else {
            this.clientId = id;
        }
    }

    void subject(TokenSubject authorized) {
        this.subject = authorized;
    }

    void issued(IssuedToken token) {
        this.jti = token.jti();
        this.expiresAt = token.expiresAt();
    }

    /** A registered grant type; empty when the request named none or one we do not serve. */
    public Optional<String> grantType() {
        return Optional.ofNullable(grantType);
    }

    public Optional<String> clientId() {
        return Optional.ofNullable(clientId);
    }

    public Optional<String> kid() {
        return Optional.ofNullable(kid);
    }

    public Optional<TokenSubject> subject() {
        return Optional.ofNullable(subject);
    }

    public Optional<String> jti() {
        return Optional.ofNullable(jti);
    }

    public Optional<Instant> expiresAt() {
        return Optional.ofNullable(expiresAt);
    }
}
