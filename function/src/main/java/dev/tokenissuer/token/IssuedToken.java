package dev.tokenissuer.token;

/**
 * A signed access token, its lifetime in seconds (the response's {@code expires_in}) and its granted scopes (the
 * response's {@code scope}, RFC 6749 §5.1; empty when none).
 */
public record IssuedToken(String accessToken, long expiresInSeconds, String scope) {

    public IssuedToken(String accessToken, long expiresInSeconds) {
        this(accessToken, expiresInSeconds, "");
    }

    @Override
    public String toString() {
        return "IssuedToken[expiresIn=" + expiresInSeconds + ", scope=" + scope + "]";
    }
}
