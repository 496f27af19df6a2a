package dev.tokenissuer.token;

import java.time.Instant;

/**
 * A signed access token, its lifetime in seconds (the response's {@code expires_in}), its type ({@code Bearer}, or
 * {@code DPoP} for a token bound to a key, RFC 9449 §5), and the claims the audit line names it by: its {@code jti}
 * and {@code exp}.
 */
public record IssuedToken(String accessToken, long expiresInSeconds, String tokenType, String jti, Instant expiresAt) {

    public static final String BEARER = "Bearer";
    public static final String DPOP = "DPoP";

    @Override
    public String toString() {
        return "IssuedToken[type=" + tokenType + ", jti=" + jti + ", expiresIn=" + expiresInSeconds + "]";
    }
}
