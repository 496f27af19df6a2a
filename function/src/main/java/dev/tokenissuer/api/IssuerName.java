package dev.tokenissuer.api;

import dev.tokenissuer.config.IssuerConfig;

import java.util.Optional;

/**
 * The issuer a request's token carries and its discovery metadata names: {@code TOKEN_ISSUER}, else
 * {@code PUBLIC_BASE_URL}, else the base URL the request reached. Discovery clients (RFC 8414 §3.3) accept only an
 * issuer equal to the URL they fetched the metadata from, and a deployment cannot tell its function its own API's URL
 * without a circular template: the domain API Gateway received the request on is that URL.
 */
public final class IssuerName {

    private final String configured;
    private final boolean fromRequest;

    public IssuerName(String configured, boolean fromRequest) {
        this.configured = configured;
        this.fromRequest = fromRequest;
    }

    public static IssuerName from(IssuerConfig config) {
        return new IssuerName(config.issuer(), config.issuerFromRequest());
    }

    /** A fixed issuer, whatever the request. */
    public static IssuerName fixed(String issuer) {
        return new IssuerName(issuer, false);
    }

    /**
     * @param requestBase the base URL the request reached ({@link PublicBaseUrl}); when the issuer follows the
     *                    request, PUBLIC_BASE_URL is unset, so that is the request's own
     * @throws ApiException 400 when the issuer follows the request and the request has no well-formed single
     *                      {@code Host}: a token then would carry an issuer that no metadata names, so the token
     *                      endpoint refuses it as discovery does
     */
    public String of(Optional<String> requestBase) {
        if (!fromRequest) {
            return configured;
        }
        return requestBase.orElseThrow(() -> new ApiException(PublicBaseUrl.NO_VALID_HOST));
    }
}
