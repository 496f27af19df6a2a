package dev.tokenissuer.testing;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The demo credential the sample events in {@code events/} carry, and helpers to send credentials. */
public final class TestCredentials {

    public static final String CLIENT_ID = "5e0ad0a4-8b7c-4c8e-9f0e-2b7f3c1d6a90";
    public static final String CLIENT_SECRET = "ZXZlbnRzLWRlbW8tc2VjcmV0LW5vdC1mb3ItcHJvZHVjdGlvbg";
    public static final String SERVICE_USER_ID = "0b6f3f0e-1c2d-4e5f-8a9b-0c1d2e3f4a5b";
    public static final String ORG_ID = "7d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6";

    private TestCredentials() {
    }

    /** An {@code Authorization} header value as RFC 6749 §2.3.1 builds it: form-urlencode, join, base64. */
    public static String basic(String clientId, String clientSecret) {
        String joined = URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(joined.getBytes(StandardCharsets.UTF_8));
    }
}
