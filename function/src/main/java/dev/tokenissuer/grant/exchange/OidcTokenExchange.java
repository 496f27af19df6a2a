package dev.tokenissuer.grant.exchange;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tokenissuer.grant.RefusalReason;
import dev.tokenissuer.grant.RequestedAccess;
import dev.tokenissuer.grant.TokenRequest;
import dev.tokenissuer.store.FederationRules;
import dev.tokenissuer.store.OidcIssuerItem;
import dev.tokenissuer.store.OidcTrustItem;
import dev.tokenissuer.store.SubjectPatterns;
import dev.tokenissuer.store.TrustTarget;
import dev.tokenissuer.token.TokenSubject;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An OIDC token of a registered issuer as the subject (GitHub Actions, Kubernetes service accounts, GitLab CI): its
 * form first, then one read for the issuer's registration and the rules its {@code sub} could match, then the
 * issuer's key (cached, {@link OidcIssuerKeys}), the signature, {@code aud} and the times, and last the most specific
 * rule whose required claims all hold. Nothing is recorded: like Google's STS, a token may be exchanged while it
 * lives, which for the platforms here is minutes.
 */
final class OidcTokenExchange {

    static final String AUTH_VIA = "token_exchange_oidc";
    static final int MAX_TOKEN_CHARS = 16 * 1024;
    static final int MAX_ISSUER_CHARS = 256;
    /** Asymmetric algorithms only: a shared secret with an outside issuer is no proof of anything here. */
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
            JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    private final FederationRules rules;
    private final OidcIssuerKeys keys;
    private final Duration clockSkew;
    private final Clock clock;

    OidcTokenExchange(FederationRules rules, OidcIssuerKeys keys, Duration clockSkew, Clock clock) {
        this.rules = rules;
        this.keys = keys;
        this.clockSkew = clockSkew;
        this.clock = clock;
    }

    TokenSubject admit(String subjectToken, TokenRequest request, RequestedAccess requested) {
        SignedJWT jwt = parse(subjectToken);
        JWTClaimsSet claims = claims(jwt);
        String issuer = claims.getIssuer();
        String subject = claims.getSubject();
        if (issuer == null || issuer.isEmpty() || issuer.length() > MAX_ISSUER_CHARS || issuer.contains("#")
                || subject == null) {
            throw ExchangeRefusals.malformed("subject_token must carry iss and sub");
        }
        List<String> candidates = SubjectPatterns.candidates(subject);
        if (candidates.isEmpty()) {
            throw ExchangeRefusals.notAccepted(RefusalReason.NO_MATCHING_RULE);
        }
        FederationRules.OidcRules found = rules.findOidc(issuer, candidates);
        OidcIssuerItem registration = found.issuer()
                .orElseThrow(() -> ExchangeRefusals.notAccepted(RefusalReason.OIDC_UNKNOWN_ISSUER));
        verifySignature(jwt, issuer);
        String audience = registration.requiredAudience() != null ? registration.requiredAudience()
                : request.issuer().orElseThrow(() -> new IllegalStateException("the request's issuer is unknown"));
        if (claims.getAudience() == null || !claims.getAudience().contains(audience)) {
            throw ExchangeRefusals.notAccepted(RefusalReason.OIDC_WRONG_AUDIENCE);
        }
        checkTimes(claims);
        TrustTarget target = mostSpecificMatch(candidates, found.rules(), claims)
                .orElseThrow(() -> ExchangeRefusals.notAccepted(RefusalReason.NO_MATCHING_RULE));
        return ExchangeAdmission.subject(target, subject, AUTH_VIA, requested);
    }

    private static SignedJWT parse(String subjectToken) {
        if (subjectToken.length() > MAX_TOKEN_CHARS) {
            throw ExchangeRefusals.malformed("subject_token is too large");
        }
        try {
            SignedJWT jwt = SignedJWT.parse(subjectToken);
            if (!ALGORITHMS.contains(jwt.getHeader().getAlgorithm()) || jwt.getHeader().getCriticalParams() != null
                    || jwt.getHeader().getJWKURL() != null || jwt.getHeader().getJWK() != null
                    || jwt.getHeader().getX509CertURL() != null) {
                throw ExchangeRefusals.refused("subject_token must be signed with an asymmetric algorithm and name"
                        + " no key of its own", RefusalReason.ASSERTION_ALGORITHM);
            }
            return jwt;
        } catch (ParseException e) {
            throw ExchangeRefusals.malformed("subject_token must be a signed JWT");
        }
    }

    private static JWTClaimsSet claims(SignedJWT jwt) {
        try {
            return jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw ExchangeRefusals.malformed("subject_token must be a signed JWT");
        }
    }

    private void verifySignature(SignedJWT jwt, String issuer) {
        JWK key = keys.key(issuer, Optional.ofNullable(jwt.getHeader().getKeyID()))
                .orElseThrow(() -> ExchangeRefusals.notAccepted(RefusalReason.BAD_SIGNATURE));
        boolean usable = key instanceof AsymmetricJWK
                && (key.getKeyUse() == null || KeyUse.SIGNATURE.equals(key.getKeyUse()))
                && (key.getAlgorithm() == null || key.getAlgorithm().equals(jwt.getHeader().getAlgorithm()));
        try {
            if (!usable) {
                throw ExchangeRefusals.notAccepted(RefusalReason.BAD_SIGNATURE);
            }
            JWSVerifier verifier = new DefaultJWSVerifierFactory().createJWSVerifier(jwt.getHeader(),
                    ((AsymmetricJWK) key).toPublicKey());
            if (!jwt.verify(verifier)) {
                throw ExchangeRefusals.notAccepted(RefusalReason.BAD_SIGNATURE);
            }
        } catch (JOSEException e) {
            // The key does not fit the algorithm (an EC key for RS256, a curve for another ES).
            throw ExchangeRefusals.notAccepted(RefusalReason.BAD_SIGNATURE);
        }
    }

    private void checkTimes(JWTClaimsSet claims) {
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        Date nbf = claims.getNotBeforeTime();
        if (exp == null || !exp.toInstant().plus(clockSkew).isAfter(now)
                || nbf != null && nbf.toInstant().minus(clockSkew).isAfter(now)) {
            throw ExchangeRefusals.notAccepted(RefusalReason.OIDC_EXPIRED);
        }
    }

    /** The first of {@code candidates} (most specific first) that is a rule whose required claims all hold. */
    private static Optional<TrustTarget> mostSpecificMatch(List<String> candidates, List<OidcTrustItem> found,
                                                           JWTClaimsSet claims) {
        Map<String, OidcTrustItem> byPattern = new HashMap<>();
        found.forEach(rule -> byPattern.put(rule.subjectPattern(), rule));
        for (String pattern : candidates) {
            OidcTrustItem rule = byPattern.get(pattern);
            if (rule != null && rule.requiredClaims().entrySet().stream()
                    .allMatch(required -> required.getValue().equals(claimText(claims, required.getKey())))) {
                return Optional.of(rule.target());
            }
        }
        return Optional.empty();
    }

    /** A claim as text when it is a string, number or boolean; null otherwise, which no required value equals. */
    private static String claimText(JWTClaimsSet claims, String name) {
        Object value = claims.getClaim(name);
        return value instanceof String || value instanceof Number || value instanceof Boolean
                ? value.toString() : null;
    }
}
