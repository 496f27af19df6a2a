package dev.tokenissuer.grant;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.tokenissuer.store.CredentialStore;
import dev.tokenissuer.store.ReplayGuard;
import dev.tokenissuer.token.TokenSubject;

import java.time.Clock;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
    static final int MAX_ASSERTION_CHARS = SignedAssertions.MAX_ASSERTION_CHARS;

    private final SignedAssertions assertions;
    private final AssertionRules rules;
    private final Clock clock;

    public JwtBearerGrant(CredentialStore store, ReplayGuard replayGuard, AssertionRules rules, Clock clock) {
        this.assertions = new SignedAssertions(store, replayGuard, clock);
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

    /**
     * The assertion names the token's subject (RFC 7523 §3.1: client authentication is optional). A client that
     * authenticates anyway is held to it, as in client_credentials (RFC 6749 §3.2.1); its credential need not be the
     * assertion's service user's.
     */
    @Override
    public ClientAuthenticationRule clientAuthentication() {
        return ClientAuthenticationRule.WHEN_PRESENT;
    }

    /** The header's kid, read through the raw-JWS gate without checking anything else; the audit line names it. */
    @Override
    public Optional<String> claimedCredential(TokenRequest request) {
        return request.parameter(ASSERTION).flatMap(SignedAssertions::claimedKeyId);
    }

    /** The assertion's key's service user, with the access decided on its allowed sets, and the assertion's use. */
    @Override
    public Established authorize(TokenRequest request, Optional<TokenSubject> client, RequestedAccess access) {
        String assertion = request.parameter(ASSERTION).orElseThrow(
                () -> OAuthError.missingCredentials("assertion is required").exception());
        return assertions.admit(assertion, rules, request, claims -> { }, TokenSubject.VIA_ASSERTION, access);
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
