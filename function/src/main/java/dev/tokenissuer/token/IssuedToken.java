package dev.tokenissuer.token;

import java.time.Instant;

/**
 * A signed access token, its lifetime in seconds (the response's {@code expires_in}), its type ({@code Bearer}, or
 * {@code DPoP} for a token bound to a key, RFC 9449 §5), the claims the audit line names it by (its {@code jti} and
 * {@code exp}), and its granted scopes (the response's {@code scope}, RFC 6749 §5.1; empty when none).
 */
public record IssuedToken(String accessToken, long expiresInSeconds, String tokenType, String jti, Instant expiresAt,
                          String scope) {

    public static final String BEARER = "Bearer";
    public static final String DPOP = "DPoP";

    @Override
    public String toString() {
        return "IssuedToken[type=" + tokenType + ", jti=" + jti + ", expiresIn=" + expiresInSeconds + ", scope="
                + scope + "]";
    }
}
