package dev.tokenissuer.token;

import java.time.Instant;

/**
 * A signed access token, its lifetime in seconds (the response's {@code expires_in}), and the claims the audit line
 * names it by: its {@code jti} and {@code exp}.
 */
public record IssuedToken(String accessToken, long expiresInSeconds, String jti, Instant expiresAt) {

    @Override
    public String toString() {
        return "IssuedToken[jti=" + jti + ", expiresIn=" + expiresInSeconds + "]";
    }
}
