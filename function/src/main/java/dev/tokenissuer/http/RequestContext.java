package dev.tokenissuer.http;

/**
 * What the front and the runtime know of a request besides its HTTP message, for the audit line: API Gateway's
 * request id, Lambda's, the client's address and its user agent as API Gateway saw them. Any may be null (a local
 * caller, a front that does not send it).
 *
 * @param apiRequestId    API Gateway's {@code requestContext.requestId}
 * @param lambdaRequestId Lambda's {@code Context.getAwsRequestId()}
 * @param sourceIp        {@code requestContext.http.sourceIp} (HTTP API, function URL) or
 *                        {@code requestContext.identity.sourceIp} (REST API)
 * @param userAgent       the user agent API Gateway reports, else the request's header
 */
public record RequestContext(String apiRequestId, String lambdaRequestId, String sourceIp, String userAgent) {

    private static final RequestContext NONE = new RequestContext(null, null, null, null);

    /** Nothing known. */
    public static RequestContext none() {
        return NONE;
    }

    public RequestContext withLambdaRequestId(String id) {
        return new RequestContext(apiRequestId, id, sourceIp, userAgent);
    }
}
