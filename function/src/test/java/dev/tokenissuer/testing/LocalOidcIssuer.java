package dev.tokenissuer.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OIDC issuer on loopback, as GitHub Actions' and a Kubernetes cluster's are seen from outside: a discovery
 * document at {@code ISSUER/.well-known/openid-configuration}, a JWKS, RS256 tokens with the platforms' documented
 * claims, key rotation, and on demand the misbehaviour a verifier must survive (down, slow, oversized, not JSON).
 */
public final class LocalOidcIssuer implements AutoCloseable {

    /** How the issuer answers its discovery document and JWKS. */
    public enum Behaviour { NORMAL, SLOW, OVERSIZED, HTML, JSON_ARRAY, OTHER_ISSUER }

    private final HttpServer server;
    private final String issuer;
    private final List<RSAKey> published = new ArrayList<>();
    private RSAKey signing;
    private volatile Behaviour behaviour = Behaviour.NORMAL;
    public final AtomicInteger jwksFetches = new AtomicInteger();
    public final AtomicInteger discoveryFetches = new AtomicInteger();

    /** @param path the issuer's path ("" for none, "/id/EXAMPLE" for an EKS-like issuer) */
    public LocalOidcIssuer(String path) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        issuer = "http://127.0.0.1:" + server.getAddress().getPort() + path;
        server.createContext(path + "/.well-known/openid-configuration", exchange -> {
            discoveryFetches.incrementAndGet();
            answer(exchange, "{\"issuer\":\"" + (behaviour == Behaviour.OTHER_ISSUER ? "https://other.example"
                    : issuer) + "\",\"jwks_uri\":\"" + issuer + "/keys\",\"id_token_signing_alg_values_supported\":"
                    + "[\"RS256\"],\"response_types_supported\":[\"id_token\"],\"subject_types_supported\":"
                    + "[\"public\"]}");
        });
        server.createContext(path + "/keys", exchange -> {
            jwksFetches.incrementAndGet();
            List<RSAKey> keys;
            synchronized (this) {
                keys = List.copyOf(published);
            }
            answer(exchange, new JWKSet(new ArrayList<>(keys)).toPublicJWKSet().toString());
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
        rotate(false);
    }

    public String issuer() {
        return issuer;
    }

    public void behave(Behaviour next) {
        behaviour = next;
    }

    public void stop() {
        server.stop(0);
    }

    /** A new signing key; the old one stays published when {@code keepOld}. */
    public synchronized String rotate(boolean keepOld) {
        try {
            signing = new RSAKeyGenerator(2048).keyID("k" + (published.size() + 1) + "-" + System.nanoTime())
                    .keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        if (!keepOld) {
            published.clear();
        }
        published.add(signing);
        return signing.getKeyID();
    }

    /** A token as GitHub Actions mints it for a job of {@code repository} on {@code ref}. */
    public String githubActions(String repository, String ref, String audience, Instant expires) {
        return sign(new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject("repo:" + repository + ":ref:" + ref)
                .audience(audience)
                .claim("repository", repository)
                .claim("repository_owner", repository.substring(0, repository.indexOf('/')))
                .claim("repository_id", "123456789")
                .claim("ref", ref)
                .claim("sha", "9f3c1a0e5d2b7c4a6e8f0a1b2c3d4e5f6a7b8c9d")
                .claim("workflow", "deploy")
                .claim("job_workflow_ref", repository + "/.github/workflows/deploy.yml@" + ref)
                .claim("run_id", "4711")
                .issueTime(Date.from(issuedAt(expires)))
                .notBeforeTime(Date.from(issuedAt(expires)))
                .expirationTime(Date.from(expires))
                .build(), signing);
    }

    /** A projected service-account token of a Kubernetes pod. */
    public String kubernetes(String namespace, String serviceAccount, String audience, Instant expires) {
        return sign(new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject("system:serviceaccount:" + namespace + ":" + serviceAccount)
                .audience(audience)
                .claim("kubernetes.io", Map.of("namespace", namespace,
                        "pod", Map.of("name", "worker-7d9f", "uid", "0f2c-pod"),
                        "serviceaccount", Map.of("name", serviceAccount, "uid", "8a1b-sa")))
                .issueTime(Date.from(issuedAt(expires)))
                .notBeforeTime(Date.from(issuedAt(expires)))
                .expirationTime(Date.from(expires))
                .build(), signing);
    }

    /** Now, or a minute before an expiry already passed (a token that was valid once). */
    private static Instant issuedAt(Instant expires) {
        Instant now = Instant.now();
        return now.isBefore(expires) ? now : expires.minusSeconds(60);
    }

    public String sign(JWTClaimsSet claims) {
        return sign(claims, signing);
    }

    public static String sign(JWTClaimsSet claims, RSAKey key) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
                    .keyID(key.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public synchronized RSAKey signingKey() {
        return signing;
    }

    private void answer(HttpExchange exchange, String json) throws IOException {
        String type = "application/json";
        String body = json;
        switch (behaviour) {
            case SLOW -> sleep(5_000);
            case OVERSIZED -> body = "{\"padding\":\"" + "x".repeat(200_000) + "\"}";
            case HTML -> {
                type = "text/html";
                body = "<html><body>Sign in</body></html>";
            }
            case JSON_ARRAY -> body = "[" + json + "]";
            default -> {
            }
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        try {
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException clientGone) {
            // The verifier gave up (deadline, size cap): that is the point.
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
