package dev.tokenissuer.grant;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tokenissuer.store.ReplayGuard;

import java.net.URI;
import java.net.URISyntaxException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * DPoP proofs at the token endpoint (RFC 9449 §4.3): a request with a {@code DPoP} header gets a token bound to the
 * proof's key. Every check that needs no I/O runs before the request's grant and client authentication, so a bad
 * proof costs nothing; the proof's {@code jti} is recorded last, just before the token is made, and given back when
 * it is not. Every failure is {@code 400 invalid_dpop_proof} with a fixed description.
 */
public final class DpopProofs {

    public static final String HEADER = "DPoP";
    /** The JOSE {@code typ} of a proof (RFC 9449 §4.2). */
    static final String TYPE = "dpop+jwt";
    /** How old a proof may be: a client makes one per request, so a few minutes cover clock drift and retries. */
    public static final Duration MAX_AGE = Duration.ofMinutes(5);
    /** A proof carries a public key in its header: an RSA-4096 JWK and signature fit many times. */
    static final int MAX_PROOF_CHARS = 8 * 1024;
    static final int MAX_JTI_CHARS = 256;
    /** What a proof's replay record is filed under, beside assertions' key ids: never a UUID. */
    static final String REPLAY_PREFIX = "dpop:";

    /** Header parameters that point elsewhere for keys or change what the signature covers: refused. */
    private static final Set<String> REFUSED_HEADERS = Set.of("crit", "b64", "jku", "x5u", "x5c", "kid");

    private final ReplayGuard replayGuard;
    private final Duration clockSkew;
    private final Clock clock;

    public DpopProofs(ReplayGuard replayGuard, Duration clockSkew, Clock clock) {
        this.replayGuard = replayGuard;
        this.clockSkew = clockSkew;
        this.clock = clock;
    }

    /** The JWS algorithms a proof may use: asymmetric only, as the assertions' (discovery lists them). */
    public static List<String> algorithms() {
        return AssertionKeys.ALGORITHMS.stream().sorted().toList();
    }

    /** A proof that passed every check but single use. */
    public record Proof(String thumbprint, String jti, Instant rememberUntil) {
    }

    /**
     * Checks the request's proof, without I/O.
     *
     * @return empty when the request carries no {@code DPoP} header (it gets a bearer token)
     * @throws OAuthException {@code invalid_dpop_proof}
     */
    public Optional<Proof> verify(TokenRequest request) {
        if (request.dpopProof().isEmpty()) {
            return Optional.empty();
        }
        String proof = request.dpopProof().get().trim();
        if (proof.length() > MAX_PROOF_CHARS || !CompactJws.isCompactJws(proof)) {
            // A repeated DPoP header arrives joined by a comma, which no JWS holds (RFC 9449 §4.3, check 1).
            throw refusal("DPoP proof is not one well-formed signed JWT");
        }
        RawJws raw = RawJws.read(proof).orElseThrow(() -> refusal("DPoP proof is not one well-formed signed JWT"));
        // The raw header first: its alg exactly one we accept (never none or HMAC), no parameter we refuse.
        if (!raw.headerString("alg").filter(AssertionKeys.ALGORITHMS::contains).isPresent()) {
            throw refusal("DPoP proof key or algorithm is not accepted");
        }
        if (REFUSED_HEADERS.stream().anyMatch(raw.header()::containsKey)) {
            throw refusal("DPoP proof header carries a parameter that is not accepted");
        }
        SignedJWT jwt = raw.signedJwt().orElseThrow(() -> refusal("DPoP proof is not one well-formed signed JWT"));
        JWSHeader header = jwt.getHeader();
        if (header.getType() == null || !isProofType(header.getType().getType())) {
            throw refusal("DPoP proof typ is not dpop+jwt");
        }
        JWK key = header.getJWK();
        if (key == null || key.isPrivate()) {
            throw refusal("DPoP proof header must carry a public jwk");
        }
        JWSAlgorithm algorithm = header.getAlgorithm();
        if (AssertionKeys.whyUnfit(key).isPresent() || !AssertionKeys.algorithmsFor(key).contains(algorithm)) {
            throw refusal("DPoP proof key or algorithm is not accepted");
        }
        checkSignature(jwt, key);
        JWTClaimsSet claims = claims(jwt);
        checkRequest(claims, request);
        Instant issuedAt = issuedAt(raw.payload());
        String jti = claims.getJWTID();
        if (jti == null || jti.isBlank() || jti.length() > MAX_JTI_CHARS) {
            throw refusal("DPoP proof jti is missing or too long");
        }
        try {
            return Optional.of(new Proof(key.computeThumbprint().toString(), jti,
                    issuedAt.plus(MAX_AGE).plus(clockSkew).plus(clockSkew)));
        } catch (JOSEException e) {
            throw refusal("DPoP proof key or algorithm is not accepted");
        }
    }

    /**
     * Records the proof's use, the last step before the token is made; {@link Grants} gives it back when the token is
     * not made.
     *
     * @throws OAuthException {@code invalid_dpop_proof} when the proof was used before
     */
    RecordedUse record(Proof proof) {
        String nonce = ReplayGuard.newNonce();
        String kid = REPLAY_PREFIX + proof.thumbprint();
        if (!replayGuard.firstUse(kid, proof.jti(), nonce, proof.rememberUntil())) {
            throw OAuthError.invalidDpopProof("DPoP proof was already used", RefusalReason.DPOP_PROOF_REPLAYED)
                    .exception();
        }
        return new RecordedUse(replayGuard, kid, proof.jti(), nonce);
    }

    /**
     * The RFC 7638 thumbprint of the public key the request's proof carries, for the audit line of a request refused
     * too: read through the raw-JWS gate, nothing checked, so a hash of whatever key the client sent.
     */
    static Optional<String> claimedThumbprint(TokenRequest request) {
        return request.dpopProof().map(String::trim).filter(proof -> proof.length() <= MAX_PROOF_CHARS)
                .flatMap(RawJws::read).flatMap(RawJws::signedJwt)
                .map(jwt -> jwt.getHeader().getJWK())
                .filter(key -> !key.isPrivate())
                .flatMap(key -> {
                    try {
                        return Optional.of(key.computeThumbprint().toString());
                    } catch (JOSEException | RuntimeException e) {
                        return Optional.empty();
                    }
                });
    }

    /**
     * RFC 7515 §4.1.9: {@code typ} is a media type, compared case-insensitively, whose {@code application/} prefix
     * may be left out; so {@code application/dpop+jwt} is the same type as {@code dpop+jwt}.
     */
    static boolean isProofType(String type) {
        String lower = type.toLowerCase(Locale.ROOT);
        return lower.equals(TYPE) || lower.equals("application/" + TYPE);
    }

    /** htm is this request's method, htu this endpoint's URL as the client reached it (RFC 9449 §4.3, 8 and 9). */
    private static void checkRequest(JWTClaimsSet claims, TokenRequest request) {
        Object htm = claims.getClaim("htm");
        Object htu = claims.getClaim("htu");
        if (!(htm instanceof String method) || !(htu instanceof String target)) {
            throw refusal("DPoP proof htm or htu is missing");
        }
        // Case-sensitive, as the request's method is kept as sent (RFC 9110 §9.1): htm POST never matches "post".
        if (!method.equals(request.method())) {
            throw refusal("DPoP proof htm does not match this request");
        }
        Optional<URI> endpoint = request.tokenEndpoint().flatMap(DpopProofs::uri);
        Optional<URI> named = uri(target);
        // The query and fragment are ignored (RFC 9449 §4.3, check 9); userinfo names no endpoint of ours, and a
        // proof that carries it is refused rather than matched on what follows the @.
        if (endpoint.isEmpty() || named.isEmpty() || named.get().getRawUserInfo() != null
                || named.get().getRawAuthority() == null || named.get().getRawAuthority().contains("@")
                || !sameTarget(named.get(), endpoint.get())) {
            throw refusal("DPoP proof htu does not match this request");
        }
    }

    /** Scheme and host compare case-insensitively and default ports are implied (RFC 3986 §6.2.3); the path exactly. */
    private static boolean sameTarget(URI a, URI b) {
        return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b)
                && a.getRawPath().equals(b.getRawPath());
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static Optional<URI> uri(String value) {
        try {
            return Optional.of(new URI(value));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    /** iat is read from the raw payload and range-checked before any arithmetic, then held to the window. */
    private Instant issuedAt(Map<String, Object> payload) {
        if (!(payload.get("iat") instanceof Number number) || !(number.doubleValue() >= 0)
                || number.doubleValue() > SignedAssertions.LATEST_DATE_SECONDS) {
            throw refusal("DPoP proof iat is missing or out of range");
        }
        Instant issuedAt = Instant.ofEpochSecond(number.longValue());
        Instant now = clock.instant();
        if (issuedAt.isAfter(now.plus(clockSkew)) || issuedAt.isBefore(now.minus(MAX_AGE).minus(clockSkew))) {
            throw refusal("DPoP proof iat is outside the accepted window");
        }
        return issuedAt;
    }

    private static JWTClaimsSet claims(SignedJWT jwt) {
        try {
            return jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw refusal("DPoP proof is not one well-formed signed JWT");
        }
    }

    private static void checkSignature(SignedJWT jwt, JWK key) {
        if (!AssertionKeys.verifies(jwt, key)) {
            throw refusal("DPoP proof signature is invalid");
        }
    }

    private static OAuthException refusal(String description) {
        return OAuthError.invalidDpopProof(description, RefusalReason.DPOP_PROOF_INVALID).exception();
    }
}
