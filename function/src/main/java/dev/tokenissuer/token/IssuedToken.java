package dev.tokenissuer.token;

/**
 * A signed access token, its lifetime in seconds (the response's {@code expires_in}), and its type: {@code Bearer},
 * or {@code DPoP} for a token bound to a key (RFC 9449 §5).
 */
public record IssuedToken(String accessToken, long expiresInSeconds, String tokenType) {

    public static final String BEARER = "Bearer";
    public static final String DPOP = "DPoP";

    public IssuedToken(String accessToken, long expiresInSeconds) {
        this(accessToken, expiresInSeconds, BEARER);
    }

    @Override
    public String toString() {
        return "IssuedToken[type=" + tokenType + ", expiresIn=" + expiresInSeconds + "]";
    }
}
