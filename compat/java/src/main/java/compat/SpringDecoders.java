package compat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
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

/**
 * Spring Security's JWT decoders, as a Spring resource server builds them, decoding a token of make run's server.
 * Prints "PASS name" or "FAIL name: reason" per check.
 */
public final class SpringDecoders {

    private static final ObjectMapper JSON = new ObjectMapper();

    interface Check {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        String base = System.getenv("COMPAT_BASE");
        String alg = System.getenv().getOrDefault("COMPAT_ALG", "RS256");
        Map<?, ?> metadata = JSON.readValue(get(base + "/.well-known/openid-configuration"), Map.class);
        String issuer = (String) metadata.get("issuer");
        String jwksUri = (String) metadata.get("jwks_uri");
        String token = clientCredentialsToken((String) metadata.get("token_endpoint"));

        check("java/spring-JwtDecoders.fromIssuerLocation", () -> {
            // Discovery, issuer check, algorithms from the JWKS, and the default validators (iss, exp, nbf).
            JwtDecoder decoder = JwtDecoders.fromIssuerLocation(issuer);
            expectAlg(decoder.decode(token).getHeaders().get("alg"), alg);
        });
        if (alg.equals("RS256")) {
            check("java/spring-NimbusJwtDecoder.withJwkSetUri", () ->
                    expectAlg(NimbusJwtDecoder.withJwkSetUri(jwksUri).build().decode(token).getHeaders().get("alg"), alg));
        } else {
            // withJwkSetUri accepts RS256 only unless told otherwise: an EC key must be opted in.
            check("java/spring-NimbusJwtDecoder.withJwkSetUri-" + alg + "-opted-in", () ->
                    expectAlg(NimbusJwtDecoder.withJwkSetUri(jwksUri)
                            .jwsAlgorithm(SignatureAlgorithm.from(alg)).build()
                            .decode(token).getHeaders().get("alg"), alg));
            check("java/spring-NimbusJwtDecoder.withJwkSetUri-default-refuses-" + alg, () -> {
                try {
                    NimbusJwtDecoder.withJwkSetUri(jwksUri).build().decode(token);
                } catch (RuntimeException expected) {
                    return;
                }
                throw new AssertionError("decoded an " + alg + " token without the algorithm opted in");
            });
        }
    }

    private static void expectAlg(Object actual, String expected) {
        if (!expected.equals(String.valueOf(actual))) {
            throw new AssertionError("token signed with " + actual + ", expected " + expected);
        }
    }

    /** Runs one check and prints its PASS or FAIL line (the suite's format); shared with SpringDpop. */
    static void check(String name, Check check) {
        try {
            check.run();
            System.out.println("PASS " + name);
        } catch (Exception | AssertionError e) {
            String reason = (e.getClass().getSimpleName() + ": " + e.getMessage()).replaceAll("\\s+", " ");
            System.out.println("FAIL " + name + ": " + reason.substring(0, Math.min(300, reason.length())));
        }
    }

    static String get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String clientCredentialsToken(String tokenEndpoint) throws Exception {
        String credentials = URLEncoder.encode(System.getenv("COMPAT_CLIENT_ID"), StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(System.getenv("COMPAT_CLIENT_SECRET"), StandardCharsets.UTF_8);
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(tokenEndpoint))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("token request: status " + response.statusCode());
        }
        return (String) JSON.readValue(response.body(), Map.class).get("access_token");
    }
}
