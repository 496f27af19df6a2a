package dev.tokenissuer.token;

/** A signed access token and its lifetime in seconds (the response's {@code expires_in}). */
public record IssuedToken(String accessToken, long expiresInSeconds) {

    @Override
    public String toString() {
        return "IssuedToken[expiresIn=" + expiresInSeconds + "]";
    }
}
