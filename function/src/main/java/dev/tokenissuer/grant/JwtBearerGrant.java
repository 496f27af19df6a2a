package dev.tokenissuer.grant;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
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
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * {@code grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer} (RFC 7523): a JWT signed with a service user's
 * registered key, traded for an access token.
 *
 * <p>Frontier checks little of an assertion (no {@code exp} needed, replay forever, {@code sub} ignored). This grant
 * holds it to RFC 7523 §3: every check that needs no I/O comes first, then one read for the key, the signature, and
 * last one conditional write that makes the assertion single use. Each failure is a fixed {@link AssertionFailure}.
 */
public final class JwtBearerGrant implements Grant {

    public static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    public static final String ASSERTION = "assertion";

    /** Far above a real assertion (about 1 KiB with an RSA-2048 signature), far below what the parser admits. */
    static final int MAX_ASSERTION_CHARS = 8 * 1024;

    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]+");

    /**
     * Header parameters that point at keys or change how the signature is checked. Keys come from the store only,
     * so these are never fetched or trusted, and refused rather than ignored: a client that sends them expects
     * something we do not do. {@code crit} names extensions we do not understand (RFC 7515 §4.1.11), and
     * {@code b64} changes what the signature covers (RFC 7797).
     */
    private static final Set<String> REFUSED_HEADERS = Set.of("crit", "b64", "jku", "x5u", "jwk", "x5c");

    private final CredentialStore store;
    private final ReplayGuard replayGuard;
    private final AssertionRules rules;
    private final Clock clock;

    public JwtBearerGrant(CredentialStore store, ReplayGuard replayGuard, AssertionRules rules, Clock clock) {
        this.store = store;
        this.replayGuard = replayGuard;
        this.rules = rules;
        this.clock = clock;
    }

    @Override
    public String grantType() {
        return GRANT_TYPE;
    }

    @Override
    public Set<String> parameters() {
        return Set.of(ASSERTION);
    }

    /** Frontier's documented exchange: {@code Authorization: Bearer <assertion>} with the grant type in the body. */
    @Override
    public Optional<String> bearerParameter() {
        return Optional.of(ASSERTION);
    }

    /** The assertion authenticates the request (RFC 7523 §3.1: client authentication is optional; we use none). */
    @Override
    public ClientAuthenticationRule clientAuthentication() {
        return ClientAuthenticationRule.NOT_USED;
    }

    @Override
    public TokenSubject authorize(TokenRequest request, Optional<TokenSubject> client) {
        return admit(request).subject();
    }

    /** Issues with {@code issue}; when that fails, the assertion's use is released, so the client may retry it. */
    @Override
    public <T> T authorizeAndIssue(TokenRequest request, Optional<TokenSubject> client,
                                   Function<TokenSubject, T> issue) {
        Admitted admitted = admit(request);
        try {
            return issue.apply(admitted.subject());
        } catch (RuntimeException | Error e) {
            try {
                replayGuard.release(admitted.kid(), admitted.jti(), admitted.nonce());
            } catch (RuntimeException releaseFailure) {
                // The record stays: the assertion is spent, as before this rule existed. The issue failure is the answer.
                e.addSuppressed(releaseFailure);
            }
            throw e;
        }
    }

    /** An assertion that passed every rule, and the use it recorded. */
    private record Admitted(TokenSubject subject, String kid, String jti, String nonce) {
    }

    private Admitted admit(TokenRequest request) {
        String assertion = request.parameter(ASSERTION).orElseThrow(
                () -> OAuthError.invalidRequest("assertion is required").exception());
        Instant now = clock.instant();

        SignedJWT jwt = parse(assertion);
        JWTClaimsSet claims = claims(jwt);
        checkNotAnAccessToken(jwt, claims);
        String kid = keyId(jwt);
        checkClaims(claims, jwt.getHeader().getKeyID(), now, request.tokenEndpoint());

        PublicKeyCredential key = store.findPublicKey(kid).orElseThrow(AssertionFailure.UNKNOWN_KEY::exception);
        checkSignature(jwt, key);
        if (!key.serviceUserId().equals(claims.getSubject())) {
            throw AssertionFailure.SUBJECT_MISMATCH.exception();
        }
        if (key.state() != ServiceUserState.ENABLED) {
            // Only a correct assertion learns the state, as with a correct secret; its jti is not spent.
            throw OAuthError.serviceUserDisabled().exception();
        }
        // Decided before the use is recorded: a request refused its scope or resource leaves the assertion unused.
        GrantedAccess granted = RequestedAccess.of(request).decide(key.allowed());
        Instant rememberUntil = claims.getExpirationTime().toInstant().plus(rules.clockSkew());
        String nonce = ReplayGuard.newNonce();
        if (!replayGuard.firstUse(kid, claims.getJWTID(), nonce, rememberUntil)) {
            throw AssertionFailure.REPLAYED.exception();
        }
        return new Admitted(new TokenSubject(key.serviceUserId(), key.orgId(), key.kid(), TokenSubject.VIA_ASSERTION,
                granted), kid, claims.getJWTID(), nonce);
    }

    /**
     * Our own checks of the compact form come before any library parses it: three base64url parts (a JWE has
     * five, an unsecured JWT an empty signature), and a bounded size.
     */
    private static SignedJWT parse(String assertion) {
        if (assertion.length() > MAX_ASSERTION_CHARS) {
            throw AssertionFailure.TOO_LARGE.exception();
        }
        String[] parts = assertion.split("\\.", -1);
        if (parts.length != 3) {
            throw AssertionFailure.MALFORMED.exception();
        }
        for (String part : parts) {
            if (!BASE64URL.matcher(part).matches()) {
                throw AssertionFailure.MALFORMED.exception();
            }
        }
        // The algorithm is checked on the raw header, exactly and case-sensitively, before Nimbus reads it:
        // "none" in any spelling and HMAC never get as far as a verifier.
        Map<String, Object> header = rawHeader(parts[0]);
        if (!(header.get("alg") instanceof String alg) || !AssertionKeys.ALGORITHMS.contains(alg)) {
            throw AssertionFailure.ALGORITHM_REFUSED.exception();
        }
        for (String name : REFUSED_HEADERS) {
            if (header.containsKey(name)) {
                throw AssertionFailure.HEADER_REFUSED.exception();
            }
        }
        try {
            return SignedJWT.parse(assertion);
        } catch (ParseException e) {
            throw AssertionFailure.MALFORMED.exception();
        }
    }

    private static Map<String, Object> rawHeader(String encoded) {
        try {
            // Nimbus's JSON parser refuses duplicate members, so no two readers can see different algorithms.
            return JSONObjectUtils.parse(new Base64URL(encoded).decodeToString());
        } catch (ParseException e) {
            throw AssertionFailure.MALFORMED.exception();
        }
    }

    /**
     * One of our access tokens presented as an assertion. The real barrier is the kid: ours is a KMS key's
     * thumbprint, never a registered key's UUID, and the header is signed. These marks refuse such a token plainly
     * and before any read: RFC 9068 types access tokens at+jwt; ours carry gen=system and our issuer, while an
     * assertion's iss names the client (RFC 7523 §3), never this server.
     */
    private void checkNotAnAccessToken(SignedJWT jwt, JWTClaimsSet claims) {
        JOSEObjectType type = jwt.getHeader().getType();
        if ((type != null && type.getType().toLowerCase(Locale.ROOT).matches("(application/)?at\\+jwt"))
                || "system".equals(claims.getClaim("gen")) || rules.ownIssuer().equals(claims.getIssuer())) {
            throw AssertionFailure.ACCESS_TOKEN.exception();
        }
    }

    /** The key id to look up. */
    private static String keyId(SignedJWT jwt) {
        return CredentialIds.normalize(jwt.getHeader().getKeyID())
                .orElseThrow(AssertionFailure.UNKNOWN_KEY::exception);
    }

    private static JWTClaimsSet claims(SignedJWT jwt) {
        try {
            return jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            // Not a JSON object, or a registered claim of the wrong type.
            throw AssertionFailure.MALFORMED.exception();
        }
    }

    private void checkClaims(JWTClaimsSet claims, String headerKid, Instant now, Optional<String> tokenEndpoint) {
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
        checkAudience(claims, tokenEndpoint);
        checkTimes(claims, now);
        if (isBlank(claims.getJWTID())) {
            throw AssertionFailure.JTI_MISSING.exception();
        }
    }

    /**
     * {@code aud}, when present, must be one value that is exactly one of our names. Several values are refused:
     * an assertion meant for several servers can be replayed from one to another. The token endpoint's URL as the
     * request reached it is always one of our names: OAuth client libraries put the advertised token endpoint there.
     */
    private void checkAudience(JWTClaimsSet claims, Optional<String> tokenEndpoint) {
        if (claims.getClaim("aud") == null) {
            if (rules.audienceRequired()) {
                throw AssertionFailure.AUDIENCE_MISSING.exception();
            }
            return;
        }
        List<String> audience = claims.getAudience();
        if (audience.size() != 1 || !(rules.acceptedAudiences().contains(audience.get(0))
                || tokenEndpoint.filter(audience.get(0)::equals).isPresent())) {
            throw AssertionFailure.AUDIENCE_REFUSED.exception();
        }
    }

    private void checkTimes(JWTClaimsSet claims, Instant now) {
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
        JWSVerifier verifier = AssertionKeys.verifierFor(key.publicKey())
                .orElseThrow(AssertionFailure.ALGORITHM_DOES_NOT_FIT_KEY::exception);
        boolean valid;
        try {
            valid = jwt.verify(verifier);
        } catch (JOSEException e) {
            valid = false;
        }
        if (!valid) {
            throw AssertionFailure.SIGNATURE_INVALID.exception();
        }
    }

    private static Optional<Instant> instant(Date date) {
        return Optional.ofNullable(date).map(Date::toInstant);
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    /**
     * An assertion shaped as Frontier's clients make them, for the nil kid, valid for five minutes from now: it
     * clears every check that needs no I/O, then the key read finds nothing and it is refused with a 401. Its
     * signature is filler and never checked, so no replay record is written.
     */
    @Override
    public PrimingRequest primingRequest() {
        long now = clock.instant().getEpochSecond();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256)
                .type(JOSEObjectType.JWT).keyID(PrimingRequest.NIL_ID).build();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .claim("kid", PrimingRequest.NIL_ID)
                .issuer("snapstart-priming")
                .subject(PrimingRequest.NIL_ID)
                .jwtID("snapstart-priming")
                .issueTime(new Date(now * 1000))
                .expirationTime(new Date((now + 300) * 1000))
                .build();
        String assertion = header.toBase64URL() + "." + Base64URL.encode(claims.toString()) + "."
                + Base64URL.encode(new byte[256]);
        return new PrimingRequest(Map.of(TokenRequest.GRANT_TYPE, GRANT_TYPE, ASSERTION, assertion), 401);
    }
}
