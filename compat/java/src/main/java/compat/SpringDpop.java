package compat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.jwt.JwtDecoders;
import org.springframework.security.oauth2.server.resource.authentication.DPoPAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.authentication.DPoPAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.UUID;

import static compat.SpringDecoders.check;
import static compat.SpringDecoders.get;

/**
 * Spring Security 6.5's DPoP support (RFC 9449 §7) as a resource server uses it, on a DPoP-bound token of make run's
 * server: {@code DPoPAuthenticationProvider} accepts the token with a proof by the key it is bound to and refuses it
 * with any other proof, and {@code BearerTokenAuthenticationFilter} refuses it sent as a plain Bearer token. The bound
 * token is requested here, with a proof made by Nimbus (what Spring itself uses) and the suite's client secret.
 * Prints "PASS name" or "FAIL name: reason" per check.
 */
public final class SpringDpop {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The protected resource's URL: the verifier only compares it with the proof's htu; nothing is fetched. */
    private static final String RESOURCE = "https://resource.example/v1/things";

    public static void main(String[] args) throws Exception {
        Map<?, ?> metadata = JSON.readValue(get(System.getenv("COMPAT_BASE") + "/.well-known/openid-configuration"),
                Map.class);
        String issuer = (String) metadata.get("issuer");
        String tokenEndpoint = (String) metadata.get("token_endpoint");
        RSAKey holder = new RSAKeyGenerator(2048).generate();
        RSAKey other = new RSAKeyGenerator(2048).generate();
        Map<?, ?> bound = token(tokenEndpoint, proof(holder, "POST", tokenEndpoint, null));
        String token = (String) bound.get("access_token");
        String bearer = (String) token(tokenEndpoint, null).get("access_token");

        // A resource server's token authentication: discovery, issuer, JWKS, default validators.
        AuthenticationManager jwt = new ProviderManager(new JwtAuthenticationProvider(
                JwtDecoders.fromIssuerLocation(issuer)));
        DPoPAuthenticationProvider dpop = new DPoPAuthenticationProvider(jwt);

        check("java/spring-token-endpoint-DPoP-token_type", () -> {
            if (!"DPoP".equals(bound.get("token_type"))) {
                throw new AssertionError("token_type " + bound.get("token_type") + ", expected DPoP");
            }
        });
        check("java/spring-DPoPAuthenticationProvider-accepts-holder-proof", () -> {
            Authentication result = dpop.authenticate(new DPoPAuthenticationToken(token,
                    proof(holder, "GET", RESOURCE, ath(token)), "GET", RESOURCE));
            Map<?, ?> cnf = (Map<?, ?>) ((JwtAuthenticationToken) result).getToken().getClaims().get("cnf");
            if (!result.isAuthenticated() || !holder.computeThumbprint().toString().equals(cnf.get("jkt"))) {
                throw new AssertionError("not authenticated, or not bound to the holder's key");
            }
        });
        refused("java/spring-DPoPAuthenticationProvider-refuses-proof-by-another-key", dpop,
                new DPoPAuthenticationToken(token, proof(other, "GET", RESOURCE, ath(token)), "GET", RESOURCE));
        refused("java/spring-DPoPAuthenticationProvider-refuses-proof-for-another-url", dpop,
                new DPoPAuthenticationToken(token, proof(holder, "GET", RESOURCE + "/other", ath(token)), "GET",
                        RESOURCE));
        refused("java/spring-DPoPAuthenticationProvider-refuses-proof-without-ath", dpop,
                new DPoPAuthenticationToken(token, proof(holder, "GET", RESOURCE, null), "GET", RESOURCE));
        check("java/spring-BearerTokenAuthenticationFilter-refuses-bound-token-without-proof", () -> {
            int status = filter(jwt, token);
            if (status != 401) {
                throw new AssertionError("a DPoP-bound token sent as Bearer got status " + status);
            }
        });
        check("java/spring-BearerTokenAuthenticationFilter-accepts-unbound-token", () -> {
            int status = filter(jwt, bearer);
            if (status != 200) {
                throw new AssertionError("an unbound Bearer token got status " + status);
            }
        });
    }

    /** RFC 9449 §4.2: typ dpop+jwt, the public key in the header; ath when it goes with an access token. */
    private static String proof(RSAKey key, String method, String url, String ath) throws Exception {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString())
                .claim("htm", method).claim("htu", url).issueTime(new Date());
        if (ath != null) {
            claims.claim("ath", ath);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(new JOSEObjectType("dpop+jwt"))
                .jwk(key.toPublicJWK()).build(), claims.build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static String ath(String token) throws Exception {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
    }

    private static void refused(String name, DPoPAuthenticationProvider dpop, DPoPAuthenticationToken request) {
        check(name, () -> {
            try {
                dpop.authenticate(request);
            } catch (OAuth2AuthenticationException expected) {
                if ("invalid_dpop_proof".equals(expected.getError().getErrorCode())) {
                    return;
                }
                throw new AssertionError("refused with " + expected.getError().getErrorCode());
            }
            throw new AssertionError("accepted");
        });
    }

    /** The status a resource server's Bearer filter gives a GET with {@code Authorization: Bearer token}. */
    private static int filter(AuthenticationManager jwt, String token) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/v1/things");
        request.addHeader("Authorization", "Bearer " + token);
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        new BearerTokenAuthenticationFilter(jwt).doFilter(request, response, chain);
        return chain.getRequest() == null ? response.getStatus() : 200;
    }

    /** client_credentials with the suite's secret; with a DPoP header when a proof is given. */
    private static Map<?, ?> token(String tokenEndpoint, String dpopProof) throws Exception {
        String credentials = URLEncoder.encode(System.getenv("COMPAT_CLIENT_ID"), StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(System.getenv("COMPAT_CLIENT_SECRET"), StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(tokenEndpoint))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"));
        if (dpopProof != null) {
            request.header("DPoP", dpopProof);
        }
        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("token request: status " + response.statusCode());
        }
        return JSON.readValue(response.body(), Map.class);
    }
}
