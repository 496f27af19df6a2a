package dev.tokenissuer.api;

import dev.tokenissuer.grant.Grants;
import dev.tokenissuer.token.IssuedToken;
import dev.tokenissuer.token.TokenSubject;

import java.time.Instant;
import java.util.Optional;

/**
 * What the token endpoint learned of one request, as far as it got, for the audit line: the grant, the client
 * authentication method, the credentials named, the DPoP key, who the token is for and the token's {@code jti} and
 * {@code exp}. Never a secret, an assertion or a token.
 * One per request, filled on the request's thread.
 */
public final class TokenAudit {

    private Grants.Claimed claimed;
    private TokenSubject subject;
    private String federatedIdentity;
    private String jti;
    private Instant expiresAt;

    /** What the request claims: its grant, how its client authenticates, the credential ids it names, the DPoP key. */
    void claimed(Grants.Claimed claimedByRequest) {
        this.claimed = claimedByRequest;
    }

    /** A token exchange's outside identity (a role session's ARN, an OIDC issuer's subject), once it is proved. */
    void federatedIdentity(String identity) {
        this.federatedIdentity = identity;
    }

    public Optional<String> federatedIdentity() {
        return Optional.ofNullable(federatedIdentity);
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
        return Optional.ofNullable(claimed).flatMap(Grants.Claimed::grantType);
    }

    /** The client authentication method the request used, or {@code none}; empty before the request was read. */
    public Optional<String> clientAuthentication() {
        return Optional.ofNullable(claimed).map(Grants.Claimed::clientAuthentication);
    }

    /** The client id the request named: a secret's, or private_key_jwt's {@code client_id}. */
    public Optional<String> clientId() {
        return Optional.ofNullable(claimed).flatMap(Grants.Claimed::clientId);
    }

    /** The kid of a private_key_jwt client assertion. */
    public Optional<String> clientKid() {
        return Optional.ofNullable(claimed).flatMap(Grants.Claimed::clientKeyId);
    }

    /** The kid of the grant's own credential: a jwt-bearer assertion's. */
    public Optional<String> kid() {
        return Optional.ofNullable(claimed).flatMap(Grants.Claimed::keyId);
    }

    /**
     * The thumbprint of the key the token is bound to (DPoP's {@code jkt}): the issued token's, else the one the
     * request's proof asked for.
     */
    public Optional<String> jkt() {
        return Optional.ofNullable(subject).flatMap(TokenSubject::boundKey)
                .or(() -> Optional.ofNullable(claimed).flatMap(Grants.Claimed::boundKey));
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
