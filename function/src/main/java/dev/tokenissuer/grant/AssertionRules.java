package dev.tokenissuer.grant;

import dev.tokenissuer.config.IssuerConfig;
import dev.tokenissuer.http.Endpoints;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What a jwt-bearer assertion is held to beyond its signature.
 *
 * @param acceptedAudiences the values {@code aud} may take
 * @param audienceRequired  whether {@code aud} must be present
 * @param clockSkew         leeway for {@code exp}, {@code nbf} and {@code iat}, for clocks that disagree
 * @param maxLifetime       the longest {@code exp - max(iat, now)} may be: a long-lived assertion is a credential
 * @param ownIssuer         our tokens' {@code iss}, which no assertion may carry
 */
public record AssertionRules(Set<String> acceptedAudiences, boolean audienceRequired, Duration clockSkew,
                             Duration maxLifetime, String ownIssuer) {

    public AssertionRules {
        acceptedAudiences = Set.copyOf(acceptedAudiences);
    }

    /**
     * The configured rules. Accepted audiences are this server's names (RFC 7523 §3): the issuer, the token
     * endpoint URL when the public base URL is configured, and any extras.
     */
    public static AssertionRules from(IssuerConfig config) {
        Set<String> audiences = ownNames(config);
        audiences.addAll(config.assertionAudience());
        return new AssertionRules(audiences, config.assertionRequireAudience(), config.assertionClockSkew(),
                config.assertionMaxLifetime(), config.issuer());
    }

    /** The longest a private_key_jwt client assertion may live: it is made for one request. */
    public static final Duration CLIENT_ASSERTION_MAX_LIFETIME = Duration.ofMinutes(5);

    /**
     * The rules of a private_key_jwt client assertion (RFC 7523 §3, as OpenID Connect and FAPI apply it): {@code aud}
     * is required and is the issuer or the token endpoint's URL, and the assertion lives at most
     * {@link #CLIENT_ASSERTION_MAX_LIFETIME}.
     */
    public static AssertionRules forClientAuthentication(IssuerConfig config) {
        return new AssertionRules(ownNames(config), true, config.assertionClockSkew(), CLIENT_ASSERTION_MAX_LIFETIME,
                config.issuer());
    }

    /** This server's configured names: the issuer, and the token endpoint's URL when the base URL is configured. */
    private static Set<String> ownNames(IssuerConfig config) {
        Set<String> names = new LinkedHashSet<>();
        names.add(config.issuer());
        config.publicBaseUrl().ifPresent(base -> names.add(base + Endpoints.TOKEN_PATH));
        return names;
    }
}
