package dev.tokenissuer.grant;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A token request after decoding: its {@code grant_type} and its other parameters, wherever they came from (the
 * body, or a header the parser maps onto a parameter, such as {@code Authorization: Basic} onto {@code client_id}
 * and {@code client_secret}). Empty parameters are absent (RFC 6749 §3.1).
 *
 * @param grantType          the {@code grant_type}
 * @param parameters         every other parameter by name, each given once
 * @param basicAuth          whether the client's id and secret came in an {@code Authorization: Basic} header
 * @param tokenEndpoint      the token endpoint's URL as this request reached it (the configured public base URL,
 *                           else the domain API Gateway received it on): an audience an assertion may name
 * @param issuer             the issuer this request's token will carry, when the API knows it: an audience too
 * @param dpopProof          the {@code DPoP} header's proof (RFC 9449), when the client asks for a key-bound token
 * @param method             the HTTP method the request came with, which a DPoP proof names
 * @param repeatedParameters the parameters that may be given several times ({@link Grants#repeatableParameters()}),
 *                           each with its values in order, empty ones kept; not in {@code parameters}
 */
public record TokenRequest(String grantType, Map<String, String> parameters, boolean basicAuth,
                           Optional<String> tokenEndpoint, Optional<String> issuer, Optional<String> dpopProof,
                           String method, Map<String, List<String>> repeatedParameters) {

    public static final String GRANT_TYPE = "grant_type";
    public static final String CLIENT_ID = "client_id";
    public static final String CLIENT_SECRET = "client_secret";
    /** RFC 6749 §3.3: a parameter of every grant, whether or not the grant reads it. */
    public static final String SCOPE = "scope";
    /** RFC 8707 §2: the resource a token is for, repeatable; a parameter of every grant. */
    public static final String RESOURCE = "resource";
    /**
     * Not a parameter a client can send (the parser drops it from bodies): an {@code Authorization: Basic} secret as
     * it came, when form-decoding (RFC 6749 §2.3.1) changed it. Frontier's clients do not form-encode, and Frontier's
     * secrets hold {@code +} (issue 19).
     */
    public static final String BASIC_SECRET_AS_SENT = " basic secret as sent";

    public TokenRequest {
        parameters = Map.copyOf(parameters);
        repeatedParameters = Map.copyOf(repeatedParameters);
    }

    /** A POST without repeated parameters, a DPoP proof or a known issuer. */
    public TokenRequest(String grantType, Map<String, String> parameters, boolean basicAuth,
                        Optional<String> tokenEndpoint, Map<String, List<String>> repeatedParameters) {
        this(grantType, parameters, basicAuth, tokenEndpoint, Optional.empty(), Optional.empty(), "POST",
                repeatedParameters);
    }

    /** A request without repeated parameters. */
    public TokenRequest(String grantType, Map<String, String> parameters, boolean basicAuth,
                        Optional<String> tokenEndpoint) {
        this(grantType, parameters, basicAuth, tokenEndpoint, Map.of());
    }

    /** A request whose endpoint URL is unknown. */
    public TokenRequest(String grantType, Map<String, String> parameters, boolean basicAuth) {
        this(grantType, parameters, basicAuth, Optional.empty());
    }

    public Optional<String> parameter(String name) {
        return Optional.ofNullable(parameters.get(name));
    }

    /** The values of a repeatable parameter, in the order given; empty when it is absent. */
    public List<String> parameterValues(String name) {
        return repeatedParameters.getOrDefault(name, List.of());
    }

    /** The Basic header's secret as sent, when it is not what form-decoding made of it. */
    public Optional<String> basicSecretAsSent() {
        return basicAuth ? parameter(BASIC_SECRET_AS_SENT) : Optional.empty();
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
