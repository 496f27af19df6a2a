package dev.tokenissuer.api;

import java.util.Optional;

/**
 * A token request after decoding: the parameters from the body, and the client credentials from wherever they came.
 * Empty parameters are treated as absent (RFC 6749 §3.1).
 */
public record TokenRequest(
        String grantType,
        Optional<String> clientId,
        Optional<String> clientSecret,
        Optional<String> assertion) {

    @Override
    public String toString() {
        // Never print credentials, even by accident in a debugger or a log line.
        return "TokenRequest[grantType=" + grantType + ", clientId=" + clientId.orElse("-") + "]";
    }
}
