package compat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.SubjectType;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import org.springframework.security.oauth2.client.endpoint.OAuth2ClientCredentialsGrantRequest;
import org.springframework.security.oauth2.client.endpoint.RestClientClientCredentialsTokenResponseClient;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.endpoint.OAuth2AccessTokenResponse;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoders;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static compat.SpringDecoders.check;

/**
 * OpenID discovery as Java clients read it: Spring Security's {@code ClientRegistrations.fromIssuerLocation} (Spring
 * Boot's {@code issuer-uri}) getting a client_credentials token, Nimbus's {@code OIDCProviderMetadata.resolve}; and,
 * against the second server with ACCESS_TOKEN_PROFILE=rfc9068, that Spring's and Nimbus's default decoders refuse
 * {@code typ: at+jwt} and accept it once told to. Prints "PASS name" or "FAIL name: reason" per check.
 */
public final class OidcDiscovery {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    public static void main(String[] args) throws Exception {
        String base = System.getenv("COMPAT_BASE");
        String alg = System.getenv().getOrDefault("COMPAT_ALG", "RS256");
        String clientId = System.getenv("COMPAT_CLIENT_ID");
        String secret = System.getenv("COMPAT_CLIENT_SECRET");
        String issuer = (String) JSON.readValue(SpringDecoders.get(base + "/.well-known/openid-configuration"),
                Map.class).get("issuer");

        check("java/spring-ClientRegistrations.fromIssuerLocation-client_credentials", () -> {
            ClientRegistration registration = ClientRegistrations.fromIssuerLocation(issuer)
                    .registrationId("token-issuer").clientId(clientId).clientSecret(secret)
                    .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS).build();
            OAuth2AccessTokenResponse response = new RestClientClientCredentialsTokenResponseClient()
                    .getTokenResponse(new OAuth2ClientCredentialsGrantRequest(registration));
            Jwt jwt = JwtDecoders.fromIssuerLocation(issuer).decode(response.getAccessToken().getTokenValue());
            expect(String.valueOf(jwt.getHeaders().get("alg")), alg, "alg");
            expect(registration.getProviderDetails().getTokenUri(), base + "/v1beta1/auth/token", "token URI");
        });

        check("java/nimbus-OIDCProviderMetadata.resolve", () -> {
            OIDCProviderMetadata metadata = OIDCProviderMetadata.resolve(new Issuer(issuer));
            expect(metadata.getIssuer().getValue(), issuer, "issuer");
            expect(String.valueOf(metadata.getSubjectTypes()), String.valueOf(java.util.List.of(SubjectType.PUBLIC)),
                    "subject types");
            expect(String.valueOf(metadata.getIDTokenJWSAlgs().get(0)), alg, "first ID token algorithm");
            expect(metadata.getJWKSetURI().toString(), base + "/.well-known/jwks.json", "jwks_uri");
        });

        String rfc9068Base = System.getenv("COMPAT_RFC9068_BASE");
        if (rfc9068Base == null || rfc9068Base.isEmpty()) {
            return;
        }
        Map<?, ?> rfc9068 = JSON.readValue(SpringDecoders.get(rfc9068Base + "/.well-known/openid-configuration"),
                Map.class);
        String rfc9068Issuer = (String) rfc9068.get("issuer");
        String atJwt = token((String) rfc9068.get("token_endpoint"), clientId, secret,
                System.getenv("COMPAT_AUDIENCE"));

        check("java/spring-JwtDecoders.fromIssuerLocation-default-refuses-at+jwt", () -> {
            try {
                JwtDecoders.fromIssuerLocation(rfc9068Issuer).decode(atJwt);
            } catch (RuntimeException expected) {
                return;
            }
            throw new AssertionError("decoded a typ at+jwt token with the default type verifier");
        });
        check("java/spring-NimbusJwtDecoder-at+jwt-opted-in", () -> {
            // What a Spring resource server sets to take RFC 9068 tokens: the processor's type verifier.
            NimbusJwtDecoder decoder = NimbusJwtDecoder.withIssuerLocation(rfc9068Issuer)
                    .jwtProcessorCustomizer(processor -> processor.setJWSTypeVerifier(
                            new DefaultJOSEObjectTypeVerifier<SecurityContext>(new JOSEObjectType("at+jwt"))))
                    .build();
            Jwt jwt = decoder.decode(atJwt);
            expect(String.valueOf(jwt.getHeaders().get("typ")), "at+jwt", "typ");
            expect(String.valueOf(jwt.getHeaders().get("alg")), alg, "alg");
        });
        check("java/nimbus-DefaultJWTProcessor-default-refuses-at+jwt", () -> {
            var processor = new com.nimbusds.jwt.proc.DefaultJWTProcessor<SecurityContext>();
            processor.setJWSKeySelector(new com.nimbusds.jose.proc.JWSVerificationKeySelector<>(
                    JWSAlgorithm.parse(alg), com.nimbusds.jose.jwk.source.JWKSourceBuilder
                    .create(URI.create((String) rfc9068.get("jwks_uri")).toURL()).build()));
            try {
                processor.process(atJwt, null);
            } catch (com.nimbusds.jose.proc.BadJOSEException expected) {
                if (!String.valueOf(expected.getMessage()).toLowerCase().contains("typ")) {
                    throw new AssertionError("refused, but not for its type: " + expected.getMessage());
                }
                return;
            }
            throw new AssertionError("processed a typ at+jwt token with the default type verifier");
        });
    }

    private static void expect(String actual, String expected, String what) {
        if (!expected.equals(actual)) {
            throw new AssertionError(what + " is " + actual + ", expected " + expected);
        }
    }

    private static String token(String tokenEndpoint, String clientId, String secret, String resource)
            throws Exception {
        String credentials = URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(secret, StandardCharsets.UTF_8);
        String body = "grant_type=client_credentials"
                + (resource == null ? "" : "&resource=" + URLEncoder.encode(resource, StandardCharsets.UTF_8));
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(tokenEndpoint))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Authorization", "Basic " + Base64.getEncoder()
                                .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("token request: status " + response.statusCode());
        }
        return (String) JSON.readValue(response.body(), Map.class).get("access_token");
    }
}
