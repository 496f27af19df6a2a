package dev.tokenissuer.grant;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tokenissuer.store.CredentialIds;
import dev.tokenissuer.store.CredentialStore;
import dev.tokenissuer.store.PublicKeyCredential;
import dev.tokenissuer.store.ReplayGuard;
import dev.tokenissuer.store.ServiceUserState;
import dev.tokenissuer.token.GrantedAccess;
import dev.tokenissuer.token.TokenSubject;

import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The checks of a JWT signed with a service user's registered key (RFC 7523 §3), common to the jwt-bearer grant and
 * private_key_jwt client authentication: every check that needs no I/O first, then one read for the key, the
 * signature, and last one conditional write that makes the assertion single use. Each failure is a fixed
 * {@link AssertionFailure}, thrown as {@code invalid_grant}; a caller that authenticates a client turns it into
 * {@code invalid_client}.
 */
final class SignedAssertions {

    /** Far above a real assertion (about 1 KiB with an RSA-2048 signature), far below what the parser admits. */
    static final int MAX_ASSERTION_CHARS = 8 * 1024;

    /** 9999-12-31T23:59:59Z, in seconds: a thousand times it is still far from a long's overflow. */
    static final long LATEST_DATE_SECONDS = 253_402_300_799L;

    private static final List<String> DATE_CLAIMS = List.of("exp", "nbf", "iat");

    /**
     * Header parameters that point at keys or change how the signature is checked. Keys come from the store only,
     * so these are never fetched or trusted, and refused rather than ignored: a client that sends them expects
     * something we do not do. {@code crit} names extensions we do not understand (RFC 7515 §4.1.11), and
     * {@code b64} changes what the signature covers (RFC 7797).
     */
    private static final Set<String> REFUSED_HEADERS = Set.of("crit", "b64", "jku", "x5u", "jwk", "x5c");

    private final CredentialStore store;
    private final ReplayGuard replayGuard;
    private final Clock clock;

    SignedAssertions(CredentialStore store, ReplayGuard replayGuard, Clock clock) {
        this.store = store;
        this.replayGuard = replayGuard;
        this.clock = clock;
    }

    /** A check a caller adds to the common ones; it runs before any read, and throws an assertion failure. */
    @FunctionalInterface
    interface ClaimsCheck {
        void check(JWTClaimsSet claims);
    }

    /**
     * Checks {@code assertion} against {@code rules} and {@code extra}, decides {@code access} on its key's allowed
     * sets, then records its {@code jti}'s use.
     *
     * @param authVia what the token's {@code auth_via} says authenticated it
     * @return the key's service user with the access granted, and the use recorded
     * @throws OAuthException {@code invalid_grant} naming the failed rule's category; 403 for a disabled user
     */
    Established admit(String assertion, AssertionRules rules, TokenRequest request, ClaimsCheck extra, String authVia,
                      RequestedAccess access) {
        Instant now = clock.instant();

        SignedJWT jwt = parse(assertion);
        checkDateRanges(jwt);
        JWTClaimsSet claims = claims(jwt);
        checkNotAnAccessToken(jwt, claims, rules, request.issuer());
        String kid = keyId(jwt);
        checkClaims(claims, jwt.getHeader().getKeyID(), now, rules, request);
        extra.check(claims);

        PublicKeyCredential key = store.findPublicKey(kid).orElseThrow(AssertionFailure.UNKNOWN_KEY::exception);
        checkSignature(jwt, key);
        if (!key.serviceUserId().equals(claims.getSubject())) {
            throw AssertionFailure.SUBJECT_MISMATCH.exception();
        }
        if (key.state() != ServiceUserState.ENABLED) {
            // Only a correct assertion learns the state, as with a correct secret; its jti is not spent.
            throw OAuthError.serviceUserDisabled().exception();
        }
        ExpiredCredentials.refuseIfExpired(key.validUntil(), now);
        // Decided before the use is recorded: a request refused its scope or resource leaves the assertion unused.
        GrantedAccess granted = access.decide(key.allowed());
        Instant rememberUntil = claims.getExpirationTime().toInstant().plus(rules.clockSkew());
        String nonce = ReplayGuard.newNonce();
        if (!replayGuard.firstUse(kid, claims.getJWTID(), nonce, rememberUntil)) {
            throw AssertionFailure.REPLAYED.exception();
        }
        return new Established(new TokenSubject(key.serviceUserId(), key.orgId(), key.kid(), authVia).withAccess(granted)
                .credentialValidUntil(key.validUntil()),
                Optional.of(new RecordedUse(replayGuard, kid, claims.getJWTID(), nonce)));
    }

    /**
     * Our own checks come before any library reads the assertion: a bounded size, then the raw-JWS gate (three
     * base64url parts, a header and payload that are JSON objects; a JWE has five parts, an unsecured JWT an empty
     * signature).
     */
    private static SignedJWT parse(String assertion) {
        if (assertion.length() > MAX_ASSERTION_CHARS) {
            throw AssertionFailure.TOO_LARGE.exception();
        }
        RawJws raw = RawJws.read(assertion).orElseThrow(AssertionFailure.MALFORMED::exception);
        // The algorithm is checked on the raw header, exactly and case-sensitively, before Nimbus's reading is used:
        // "none" in any spelling and HMAC never get as far as a verifier.
        if (!raw.headerString("alg").filter(AssertionKeys.ALGORITHMS::contains).isPresent()) {
            throw AssertionFailure.ALGORITHM_REFUSED.exception();
        }
        for (String name : REFUSED_HEADERS) {
            if (raw.header().containsKey(name)) {
                throw AssertionFailure.HEADER_REFUSED.exception();
            }
        }
        return raw.signedJwt().orElseThrow(AssertionFailure.MALFORMED::exception);
    }

    /** The key id an assertion's header names, in stored form, read through the gate and nothing else checked. */
    static Optional<String> claimedKeyId(String assertion) {
        if (assertion.length() > MAX_ASSERTION_CHARS) {
            return Optional.empty();
        }
        return RawJws.read(assertion).flatMap(raw -> raw.headerString("kid")).flatMap(CredentialIds::normalize);
    }

    /**
     * One of our access tokens presented as an assertion. The real barrier is the kid: ours is a KMS key's
     * thumbprint, never a registered key's UUID, and the header is signed. These marks refuse such a token plainly
     * and before any read: RFC 9068 types access tokens at+jwt; ours carry gen=system and our issuer, while an
     * assertion's iss names the client (RFC 7523 §3), never this server.
     */
    private static void checkNotAnAccessToken(SignedJWT jwt, JWTClaimsSet claims, AssertionRules rules,
                                              Optional<String> requestIssuer) {
        JOSEObjectType type = jwt.getHeader().getType();
        if ((type != null && type.getType().toLowerCase(Locale.ROOT).matches("(application/)?at\\+jwt"))
                || "system".equals(claims.getClaim("gen")) || rules.ownIssuer().equals(claims.getIssuer())
                || requestIssuer.filter(iss -> iss.equals(claims.getIssuer())).isPresent()) {
            throw AssertionFailure.ACCESS_TOKEN.exception();
        }
    }

    /** The key id to look up. */
    private static String keyId(SignedJWT jwt) {
        return CredentialIds.normalize(jwt.getHeader().getKeyID())
                .orElseThrow(AssertionFailure.UNKNOWN_KEY::exception);
    }

    /**
     * Nimbus turns a date claim into a {@code Date} as seconds * 1000 in a long, which wraps silently: an
     * {@code exp} of about 2^64 / 1000 would read as a date in the next minutes. So the raw numbers are held to
     * 0..year 9999 before anything converts them. A date claim that is not a number is left to the claims parser,
     * which refuses it.
     */
    private static void checkDateRanges(SignedJWT jwt) {
        Map<String, Object> payload = jwt.getPayload().toJSONObject();
        if (payload == null) {
            return;
        }
        for (String name : DATE_CLAIMS) {
            // Comparing as a double is exact here: every long up to 2^53 converts exactly, and larger ones stay larger.
            if (payload.get(name) instanceof Number number
                    && !(number.doubleValue() >= 0 && number.doubleValue() <= LATEST_DATE_SECONDS)) {
                throw AssertionFailure.DATE_OUT_OF_RANGE.exception();
            }
        }
    }

    private static JWTClaimsSet claims(SignedJWT jwt) {
        try {
            return jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            // Not a JSON object, or a registered claim of the wrong type.
            throw AssertionFailure.MALFORMED.exception();
        }
    }

    private static void checkClaims(JWTClaimsSet claims, String headerKid, Instant now, AssertionRules rules,
                                    TokenRequest request) {
        // Frontier's clients repeat the header kid as a claim; when present, the two must agree.
        Object kidClaim = claims.getClaim("kid");
        if (kidClaim != null && !kidClaim.equals(headerKid)) {
            throw AssertionFailure.KID_MISMATCH.exception();
        }
        if (isBlank(claims.getIssuer())) {
            throw AssertionFailure.ISSUER_MISSING.exception();
        }
        if (isBlank(claims.getSubject())) {
            throw AssertionFailure.SUBJECT_MISMATCH.exception();
        }
        checkAudience(claims, rules, request);
        checkTimes(claims, rules, now);
        if (isBlank(claims.getJWTID())) {
            throw AssertionFailure.JTI_MISSING.exception();
        }
    }

    /**
     * {@code aud}, when present, must be one value that is exactly one of our names. Several values are refused:
     * an assertion meant for several servers can be replayed from one to another. The token endpoint's URL as the
     * request reached it, and the issuer its token will carry, are always among our names: OAuth client libraries put
     * the advertised token endpoint there.
     */
    private static void checkAudience(JWTClaimsSet claims, AssertionRules rules, TokenRequest request) {
        if (claims.getClaim("aud") == null) {
            if (rules.audienceRequired()) {
                throw AssertionFailure.AUDIENCE_MISSING.exception();
            }
            return;
        }
        List<String> audience = claims.getAudience();
        String named = audience.size() == 1 ? audience.get(0) : null;
        if (named == null || !(rules.acceptedAudiences().contains(named)
                || request.tokenEndpoint().filter(named::equals).isPresent()
                || request.issuer().filter(named::equals).isPresent())) {
            throw AssertionFailure.AUDIENCE_REFUSED.exception();
        }
    }

    private static void checkTimes(JWTClaimsSet claims, AssertionRules rules, Instant now) {
        Instant expiry = instant(claims.getExpirationTime())
                .orElseThrow(AssertionFailure.EXPIRY_MISSING::exception);
        Optional<Instant> notBefore = instant(claims.getNotBeforeTime());
        Optional<Instant> issuedAt = instant(claims.getIssueTime());
        Instant latestAcceptable = now.plus(rules.clockSkew());
        if (!now.isBefore(expiry.plus(rules.clockSkew()))) {
            throw AssertionFailure.EXPIRED.exception();
        }
        if (notBefore.filter(latestAcceptable::isBefore).isPresent()
                || issuedAt.filter(latestAcceptable::isBefore).isPresent()) {
            throw AssertionFailure.NOT_YET_VALID.exception();
        }
        Instant start = issuedAt.filter(now::isBefore).orElse(now);
        if (expiry.isAfter(start.plus(rules.maxLifetime()))) {
            throw AssertionFailure.LIFETIME_TOO_LONG.exception();
        }
    }

    private static void checkSignature(SignedJWT jwt, PublicKeyCredential key) {
        JWSAlgorithm algorithm = jwt.getHeader().getAlgorithm();
        if (!AssertionKeys.algorithmsFor(key.publicKey()).contains(algorithm)) {
            throw AssertionFailure.ALGORITHM_DOES_NOT_FIT_KEY.exception();
        }
        if (!AssertionKeys.verifies(jwt, key.publicKey())) {
            throw AssertionFailure.SIGNATURE_INVALID.exception();
        }
    }

    private static Optional<Instant> instant(Date date) {
        return Optional.ofNullable(date).map(Date::toInstant);
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
