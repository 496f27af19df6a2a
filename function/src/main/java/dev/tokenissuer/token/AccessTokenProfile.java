package dev.tokenissuer.token;

import java.util.Arrays;
import java.util.Locale;

/**
 * Which JWT profile access tokens follow; {@code ACCESS_TOKEN_PROFILE}. Neither fits every verifier: RFC 9068's
 * {@code typ: at+jwt} is what strict access-token verifiers (oauth4webapi's {@code validateJwtAccessToken}) require,
 * and what Nimbus's and Spring Security's default JWT processors refuse (they accept {@code JWT} or no type).
 */
public enum AccessTokenProfile {

    /** Today's tokens: {@code typ: JWT}, the claims Frontier's resource servers read; {@code aud} only when known. */
    FRONTIER("frontier", "JWT", false),
    /**
     * RFC 9068: {@code typ: at+jwt}, and always an {@code aud} (§2.2), the requested resource or the configured
     * default audience (§3); besides the claims of {@link #FRONTIER}, which already has §2.2's {@code iss},
     * {@code exp}, {@code sub}, {@code client_id}, {@code iat} and {@code jti}.
     */
    RFC9068("rfc9068", "at+jwt", true);

    private final String setting;
    private final String type;
    private final boolean audienceRequired;

    AccessTokenProfile(String setting, String type, boolean audienceRequired) {
        this.setting = setting;
        this.type = type;
        this.audienceRequired = audienceRequired;
    }

    /** The profile named by a setting's value ({@code frontier} or {@code rfc9068}, any case). */
    public static AccessTokenProfile named(String setting) {
        return Arrays.stream(values())
                .filter(profile -> profile.setting.equals(setting.trim().toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("ACCESS_TOKEN_PROFILE must be frontier or rfc9068, not '"
                        + setting + "'"));
    }

    /** The name a setting gives it. */
    public String setting() {
        return setting;
    }

    /** The JWS header's {@code typ}. */
    public String type() {
        return type;
    }

    /** Whether every token must carry an {@code aud}. */
    public boolean audienceRequired() {
        return audienceRequired;
    }
}
