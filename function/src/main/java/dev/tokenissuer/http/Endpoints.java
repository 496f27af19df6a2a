package dev.tokenissuer.http;

/**
 * The paths the API serves. A leaf, so that what must agree with a path (the token endpoint URL a jwt-bearer
 * assertion may name as its audience, discovery, priming) reads it from here rather than from the router.
 */
public final class Endpoints {

    public static final String TOKEN_PATH = "/v1beta1/auth/token";
    public static final String JWKS_PATH = "/.well-known/jwks.json";
    public static final String FRONTIER_JWKS_PATH = "/v1beta1/auth/jwks";
    public static final String OAUTH_METADATA_PATH = "/.well-known/oauth-authorization-server";
    public static final String OPENID_CONFIGURATION_PATH = "/.well-known/openid-configuration";
    /** Route 53's health check (template.yaml, RegionHealthCheck). */
    public static final String HEALTH_PATH = "/health";

    private Endpoints() {
    }
}
