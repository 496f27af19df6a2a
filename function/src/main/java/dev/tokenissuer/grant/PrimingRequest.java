package dev.tokenissuer.grant;

import java.util.Map;

/**
 * A token request that warms a grant's code path without earning a token: its parameters, {@code grant_type}
 * included, and the status it is answered with when the function's dependencies are reachable.
 */
public record PrimingRequest(Map<String, String> parameters, int expectedStatus) {

    /** The nil UUID: well-formed, so a grant does its one read, and never a credential's id (ours are random). */
    public static final String NIL_ID = "00000000-0000-0000-0000-000000000000";

    public PrimingRequest {
        parameters = Map.copyOf(parameters);
    }
}
