package dev.tokenissuer.grant;

import java.util.Map;
import java.util.Optional;

/**
 * A token request after decoding: its {@code grant_type} and its other parameters, wherever they came from (the
 * body, or a header the parser maps onto a parameter, such as {@code Authorization: Basic} onto {@code client_id}
 * and {@code client_secret}). Empty parameters are absent (RFC 6749 §3.1).
 *
 * @param grantType  the {@code grant_type}
 * @param parameters every other parameter by name, each given once
 * @param basicAuth  whether the client's id and secret came in an {@code Authorization: Basic} header
 * @param tokenEndpoint the token endpoint's URL as this request reached it (the configured public base URL, else
 *                      the domain API Gateway received it on): an audience an assertion may name
 * @param issuer        the issuer this request's token will carry, when the API knows it: an audience too
 * @param dpopProof     the {@code DPoP} header's proof (RFC 9449), when the client asks for a key-bound token
 * @param method        the HTTP method the request came with, which a DPoP proof names
 */
public record TokenRequest(String grantType, Map<String, String> parameters, boolean basicAuth,
                           Optional<String> tokenEndpoint, Optional<String> issuer, Optional<String> dpopProof,
                           String method) {

    public static final String GRANT_TYPE = "grant_type";
    public static final String CLIENT_ID = "client_id";
    public static final String CLIENT_SECRET = "client_secret";
    /** RFC 6749 §3.3: a parameter of every grant, whether or not the grant reads it. */
    public static final String SCOPE = "scope";

    public TokenRequest {
        parameters = Map.copyOf(parameters);
    }

    /** A request whose endpoint URL is unknown. */
    public TokenRequest(String grantType, Map<String, String> parameters, boolean basicAuth) {
        this(grantType, parameters, basicAuth, Optional.empty(), Optional.empty(), Optional.empty(), "POST");
    }

    /** A request whose issuer is the configured one. */
    public TokenRequest(String grantType, Map<String, String> parameters, boolean basicAuth,
                        Optional<String> tokenEndpoint) {
        this(grantType, parameters, basicAuth, tokenEndpoint, Optional.empty(), Optional.empty(), "POST");
    }

    public Optional<String> parameter(String name) {
        return Optional.ofNullable(parameters.get(name));
    }

    public Optional<String> clientId() {
        return parameter(CLIENT_ID);
    }

    @Override
    public String toString() {
        // Never print credentials or assertions, even by accident in a debugger or a log line.
        return "TokenRequest[grantType=" + grantType + ", clientId=" + clientId().orElse("-") + "]";
    }
}
