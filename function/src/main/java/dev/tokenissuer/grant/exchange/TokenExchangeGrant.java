package dev.tokenissuer.grant.exchange;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.tokenissuer.grant.Established;
import dev.tokenissuer.grant.Grant;
import dev.tokenissuer.grant.RequestedAccess;
import dev.tokenissuer.grant.OAuthError;
import dev.tokenissuer.grant.PrimingRequest;
import dev.tokenissuer.grant.TokenRequest;
import dev.tokenissuer.store.FederationRules;
import dev.tokenissuer.store.ReplayGuard;
import dev.tokenissuer.token.TokenSubject;
import software.amazon.awssdk.http.SdkHttpClient;

import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code grant_type=urn:ietf:params:oauth:grant-type:token-exchange} (RFC 8693) with an outside identity as the
 * subject and no client authentication (the subject token is the proof): an AWS IAM identity
 * ({@link AwsIdentityExchange}) or an OIDC token of a registered issuer ({@link OidcTokenExchange}), each mapped to a
 * service user by a trust rule. The token is the one that service user's client_credentials would get, with
 * {@code auth_via} naming the exchange and {@code client_id} the outside identity. Impersonation only: an
 * {@code actor_token} (delegation) is refused, as is an {@code audience} (use {@code resource}, RFC 8707).
 */
public final class TokenExchangeGrant implements Grant {

    public static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange";
    public static final String SUBJECT_TOKEN = "subject_token";
    public static final String SUBJECT_TOKEN_TYPE = "subject_token_type";
    public static final String REQUESTED_TOKEN_TYPE = "requested_token_type";
    public static final String AUDIENCE = "audience";
    public static final String ACTOR_TOKEN = "actor_token";
    public static final String ACTOR_TOKEN_TYPE = "actor_token_type";

    public static final String AWS4_REQUEST = "urn:ietf:params:aws:token-type:aws4_request";
    public static final String JWT = "urn:ietf:params:oauth:token-type:jwt";
    public static final String ID_TOKEN = "urn:ietf:params:oauth:token-type:id_token";
    /** What the response's {@code issued_token_type} says: an access token (RFC 8693 §3). */
    public static final String ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";

    private final AwsIdentityExchange aws;
    private final OidcTokenExchange oidc;
    private final Clock clock;

    /**
     * @param http        the function's HTTP client (bounded by its own timeouts)
     * @param callTimeout the most one call to STS or to an issuer may take, its answer read whole
     * @param clockSkew   how far an OIDC token's exp and nbf may be off our clock
     */
    public TokenExchangeGrant(FederationRules rules, ReplayGuard replayGuard, StsEndpoints stsEndpoints,
                              SdkHttpClient http, Duration callTimeout, boolean loopbackHttp, Duration clockSkew,
                              Clock clock) {
        BoundedHttp bounded = new BoundedHttp(http, callTimeout);
        this.aws = new AwsIdentityExchange(stsEndpoints, new StsCaller(bounded), rules, replayGuard, clock);
        this.oidc = new OidcTokenExchange(rules, new OidcIssuerKeys(bounded, loopbackHttp, clock), clockSkew, clock);
        this.clock = clock;
    }

    @Override
    public String grantType() {
        return GRANT_TYPE;
    }

    @Override
    public Set<String> parameters() {
        return Set.of(SUBJECT_TOKEN, SUBJECT_TOKEN_TYPE, REQUESTED_TOKEN_TYPE, AUDIENCE, ACTOR_TOKEN,
                ACTOR_TOKEN_TYPE);
    }

    @Override
    public ClientAuthenticationRule clientAuthentication() {
        // The subject token is the proof; a client that also authenticates must do so correctly (RFC 6749 §3.2.1).
        return ClientAuthenticationRule.WHEN_PRESENT;
    }

    @Override
    public Established authorize(TokenRequest request, Optional<TokenSubject> client, RequestedAccess access) {
        if (request.parameter(ACTOR_TOKEN).isPresent() || request.parameter(ACTOR_TOKEN_TYPE).isPresent()) {
            throw OAuthError.invalidRequest("actor_token is not supported: delegation is not offered").exception();
        }
        if (request.parameter(AUDIENCE).isPresent()) {
            throw OAuthError.invalidTarget("audience is not supported: name the resource with resource")
                    .exception();
        }
        request.parameter(REQUESTED_TOKEN_TYPE).filter(type -> !type.equals(ACCESS_TOKEN) && !type.equals(JWT))
                .ifPresent(type -> {
                    throw OAuthError.invalidRequest("requested_token_type must be an access token").exception();
                });
        String type = request.parameter(SUBJECT_TOKEN_TYPE).orElseThrow(
                () -> OAuthError.invalidRequest("subject_token_type is required").exception());
        String token = request.parameter(SUBJECT_TOKEN).orElseThrow(
                () -> OAuthError.missingCredentials("subject_token is required").exception());
        return switch (type) {
            case AWS4_REQUEST -> aws.exchange(token, request, access);
            case JWT, ID_TOKEN -> Established.of(oidc.admit(token, request, access));
            default -> throw OAuthError.invalidRequest("subject_token_type is not supported").exception();
        };
    }

    /**
     * An OIDC token of an issuer nobody registers, valid for five minutes: its form passes, the one read finds no
     * issuer, and it is refused with a 400. Nothing is fetched, signed or written.
     */
    @Override
    public PrimingRequest primingRequest() {
        long now = clock.instant().getEpochSecond();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer("https://snapstart-priming.invalid")
                .subject("repo:priming/priming:ref:refs/heads/main")
                .audience("snapstart-priming")
                .issueTime(new Date(now * 1000))
                .expirationTime(new Date((now + 300) * 1000))
                .build();
        String jwt = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("priming").build().toBase64URL() + "."
                + Base64URL.encode(claims.toString()) + "." + Base64URL.encode(new byte[256]);
        return new PrimingRequest(Map.of(TokenRequest.GRANT_TYPE, GRANT_TYPE, SUBJECT_TOKEN_TYPE, JWT,
                SUBJECT_TOKEN, jwt), 400);
    }
}
