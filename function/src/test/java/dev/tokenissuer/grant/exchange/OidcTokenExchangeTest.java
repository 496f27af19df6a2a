package dev.tokenissuer.grant.exchange;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tokenissuer.http.HttpResponse;
import dev.tokenissuer.store.AllowedAccess;
import dev.tokenissuer.store.OidcIssuerItem;
import dev.tokenissuer.store.OidcTrustItem;
import dev.tokenissuer.store.ServiceUserState;
import dev.tokenissuer.testing.ExchangeHarness;
import dev.tokenissuer.testing.FakeFederationRules;
import dev.tokenissuer.testing.InMemoryReplayGuard;
import dev.tokenissuer.testing.LocalOidcIssuer;
import dev.tokenissuer.testing.MutableClock;
import dev.tokenissuer.testing.TestApis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.tokenissuer.grant.exchange.TokenExchangeGrant.ID_TOKEN;
import static dev.tokenissuer.grant.exchange.TokenExchangeGrant.JWT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OIDC subject against an issuer on loopback (discovery, JWKS, rotation, misbehaviour), with GitHub Actions- and
 * Kubernetes-shaped tokens, through the whole API.
 */
class OidcTokenExchangeTest {

    private static final String GITHUB_AUDIENCE = "https://auth.example.com";
    private final MutableClock clock = new MutableClock(Instant.now());
    private final LocalOidcIssuer issuer = new LocalOidcIssuer("");
    private final FakeFederationRules rules = new FakeFederationRules();
    /** No STS here; the loopback endpoint only marks this as a local run, where loopback HTTP issuers are allowed. */
    private final ExchangeHarness api = new ExchangeHarness(URI.create("http://127.0.0.1:9"), rules,
            new InMemoryReplayGuard(), clock);

    @AfterEach
    void stop() {
        issuer.stop();
    }

    private Instant inFiveMinutes() {
        return clock.instant().plusSeconds(300);
    }

    private String trust(String subjectPattern, Map<String, String> claims, ServiceUserState state) {
        String serviceUser = UUID.randomUUID().toString();
        rules.with(new OidcTrustItem(issuer.issuer(), subjectPattern, claims, UUID.randomUUID().toString(),
                serviceUser, "org-1", state, "rule", "2026-12-07T00:00:00Z",
                new AllowedAccess(List.of("deploy"), List.of())));
        return serviceUser;
    }

    private void register(String audience) {
        rules.with(new OidcIssuerItem(issuer.issuer(), audience, "2026-12-07T00:00:00Z"));
    }

    @Test
    @DisplayName("exchanges a GitHub Actions token matching repo:ORG/REPO:* and its required claims")
    void githubActions() {
        register(GITHUB_AUDIENCE);
        String serviceUser = trust("repo:acme/api:*", Map.of("repository_owner", "acme", "workflow", "deploy"),
                ServiceUserState.ENABLED);
        String token = issuer.githubActions("acme/api", "refs/heads/main", GITHUB_AUDIENCE, inFiveMinutes());

        HttpResponse response = api.exchange(JWT, token);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(ExchangeHarness.body(response).get("issued_token_type").asText())
                .isEqualTo(TokenExchangeGrant.ACCESS_TOKEN);
        var claims = ExchangeHarness.claims(response);
        assertThat(claims.getSubject()).isEqualTo(serviceUser);
        assertThat(claims.getClaim("auth_via")).isEqualTo("token_exchange_oidc");
        assertThat(claims.getClaim("client_id")).isEqualTo("repo:acme/api:ref:refs/heads/main");
        assertThat(rules.reads).hasValue(1);
    }

    @Test
    @DisplayName("exchanges a Kubernetes service-account token (id_token type) by its exact subject, audience defaulting to our issuer")
    void kubernetes() {
        register(null);
        String serviceUser = trust("system:serviceaccount:payments:worker", Map.of(), ServiceUserState.ENABLED);
        String token = issuer.kubernetes("payments", "worker", TestApis.ISSUER, inFiveMinutes());

        HttpResponse response = api.exchange(ID_TOKEN, token);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(ExchangeHarness.claims(response).getSubject()).isEqualTo(serviceUser);
    }

    @Test
    @DisplayName("the most specific matching rule wins: an exact subject before repo:ORG/REPO:*")
    void mostSpecific() {
        register(GITHUB_AUDIENCE);
        trust("repo:acme/api:*", Map.of(), ServiceUserState.ENABLED);
        String mainOnly = trust("repo:acme/api:ref:refs/heads/main", Map.of(), ServiceUserState.ENABLED);

        HttpResponse response = api.exchange(JWT,
                issuer.githubActions("acme/api", "refs/heads/main", GITHUB_AUDIENCE, inFiveMinutes()));

        assertThat(ExchangeHarness.claims(response).getSubject()).isEqualTo(mainOnly);
    }

    @Test
    @DisplayName("a required claim that differs matches no rule; the answer does not say which")
    void claimMismatch() {
        register(GITHUB_AUDIENCE);
        trust("repo:acme/api:*", Map.of("workflow", "release"), ServiceUserState.ENABLED);

        HttpResponse response = api.exchange(JWT,
                issuer.githubActions("acme/api", "refs/heads/main", GITHUB_AUDIENCE, inFiveMinutes()));

        assertThat(response.status()).isEqualTo(400);
        assertThat(ExchangeHarness.body(response).get("error").asText()).isEqualTo("invalid_request");
        assertThat(ExchangeHarness.body(response).get("error_description").asText())
                .isEqualTo(ExchangeRefusals.NOT_ACCEPTED);
        assertThat(api.lastReason()).isEqualTo("no_matching_rule");
    }

    @Test
    @DisplayName("a subject of another repository does not match repo:ORG/REPO:*")
    void otherRepository() {
        register(GITHUB_AUDIENCE);
        trust("repo:acme/api:*", Map.of(), ServiceUserState.ENABLED);

        api.exchange(JWT, issuer.githubActions("acme/api-fork", "refs/heads/main", GITHUB_AUDIENCE,
                inFiveMinutes()));

        assertThat(api.lastReason()).isEqualTo("no_matching_rule");
    }

    @Test
    @DisplayName("an issuer nobody registered is refused and never contacted")
    void unknownIssuer() {
        trust("repo:acme/api:*", Map.of(), ServiceUserState.ENABLED);

        HttpResponse response = api.exchange(JWT,
                issuer.githubActions("acme/api", "refs/heads/main", GITHUB_AUDIENCE, inFiveMinutes()));

        assertThat(response.status()).isEqualTo(400);
        assertThat(api.lastReason()).isEqualTo("oidc_unknown_issuer");
        assertThat(issuer.discoveryFetches).hasValue(0);
    }

    @Test
    @DisplayName("a token for another audience is refused")
    void wrongAudience() {
        register(GITHUB_AUDIENCE);
        trust("repo:acme/api:*", Map.of(), ServiceUserState.ENABLED);

        api.exchange(JWT, issuer.githubActions("acme/api", "refs/heads/main", "https://github.com/acme",
                inFiveMinutes()));

        assertThat(api.lastReason()).isEqualTo("oidc_wrong_audience");
    }

    @Test
    @DisplayName("an expired token is refused")
    void expired() {
        register(GITHUB_AUDIENCE);
        trust("repo:acme/api:*", Map.of(), ServiceUserState.ENABLED);

        api.exchange(JWT, issuer.githubActions("acme/api", "refs/heads/main", GITHUB_AUDIENCE,
                clock.instant().minusSeconds(120)));

        assertThat(api.lastReason()).isEqualTo("oidc_expired");
    }

    @Test
    @DisplayName("a token signed by a key the issuer does not publish (under a published kid) is refused")
    void badSignature() throws JOSEException {
        register(GITHUB_AUDIENCE);
        trust("repo:acme/api:*", Map.of(), ServiceUserState.ENABLED);
        RSAKey impostor = new RSAKeyGenerator(2048).keyID(issuer.signingKey().getKeyID()).generate();
        String forged = LocalOidcIssuer.sign(githubClaims(), impostor);

        api.exchange(JWT, forged);

        assertThat(api.lastReason()).isEqualTo("bad_signature");
    }

    @Test
    @DisplayName("an HS256 token (a shared secret is no proof) is refused before anything is read")
    void symmetric() throws JOSEException {
        register(GITHUB_AUDIENCE);
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), githubClaims());
        jwt.sign(new MACSigner(new byte[32]));

        assertThat(api.exchange(JWT, jwt.serialize()).status()).isEqualTo(400);
        assertThat(rules.reads).hasValue(0);
    }

    @Test
    @DisplayName("a disabled service user refuses its federated identities")
    void disabled() {
        register(GITHUB_AUDIENCE);
        trust("repo:acme/api:*", Map.of(), ServiceUserState.DISABLED);

        api.exchange(JWT, issuer.githubActions("acme/api", "refs/heads/main", GITHUB_AUDIENCE, inFiveMinutes()));

        assertThat(api.lastReason()).isEqualTo("user_disabled");
    }

    @Test
    @DisplayName("after the issuer rotates its key, a token with the new kid fetches the JWKS again and is accepted")
    void rotation() {
        register(GITHUB_AUDIENCE);
        trust("repo:acme/api:*", Map.of(), ServiceUserState.ENABLED);
        assertThat(api.exchange(JWT, issuer.githubActions("acme/api", "refs/heads/main", GITHUB_AUDIENCE,
                inFiveMinutes())).status()).isEqualTo(200);
        assertThat(api.exchange(JWT, issuer.githubActions("acme/api", "refs/heads/main", GITHUB_AUDIENCE,
                inFiveMinutes())).status()).isEqualTo(200);
        assertThat(issuer.jwksFetches).as("the second token used the cache").hasValue(1);

        clock.advance(Duration.ofSeconds(61));
        issuer.rotate(false);
        HttpResponse response = api.exchange(JWT, issuer.githubActions("acme/api", "refs/heads/main",
                GITHUB_AUDIENCE, inFiveMinutes()));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(issuer.jwksFetches).hasValue(2);
    }

    @Test
    @DisplayName("unknown kids make the JWKS be fetched at most once a minute")
    void unknownKidThrottled() throws JOSEException {
        register(GITHUB_AUDIENCE);
        trust("repo:acme/api:*", Map.of(), ServiceUserState.ENABLED);
        api.exchange(JWT, issuer.githubActions("acme/api", "refs/heads/main", GITHUB_AUDIENCE, inFiveMinutes()));
        clock.advance(Duration.ofSeconds(61));

        for (int i = 0; i < 5; i++) {
            RSAKey madeUp = new RSAKeyGenerator(2048).keyID("made-up-" + i).generate();
            api.exchange(JWT, LocalOidcIssuer.sign(githubClaims(), madeUp));
            assertThat(api.lastReason()).isEqualTo("bad_signature");
        }

        assertThat(issuer.jwksFetches).hasValue(2);
    }

    @Test
    @DisplayName("an issuer that does not answer is a 503, in bounded time")
    void unreachable() {
        register(GITHUB_AUDIENCE);
        trust("repo:acme/api:*", Map.of(), ServiceUserState.ENABLED);
        String token = issuer.githubActions("acme/api", "refs/heads/main", GITHUB_AUDIENCE, inFiveMinutes());
        issuer.stop();

        assertThat(api.exchange(JWT, token).status()).isEqualTo(503);
        assertThat(api.log.get(0).failure().orElseThrow().dependency().orElseThrow().dimensionValue())
                .isEqualTo("OidcIssuer");
    }

    @Test
    @DisplayName("an issuer that answers slowly is given up on at the call timeout: 503")
    void slow() {
        assertUnusable(LocalOidcIssuer.Behaviour.SLOW);
    }

    @Test
    @DisplayName("an oversized discovery document is cut off at the size cap: 503")
    void oversized() {
        assertUnusable(LocalOidcIssuer.Behaviour.OVERSIZED);
    }

    @Test
    @DisplayName("an HTML answer (a login page) is not a discovery document: 503")
    void html() {
        assertUnusable(LocalOidcIssuer.Behaviour.HTML);
    }

    @Test
    @DisplayName("a JSON answer that is not an object is not a discovery document: 503")
    void jsonArray() {
        assertUnusable(LocalOidcIssuer.Behaviour.JSON_ARRAY);
    }

    @Test
    @DisplayName("a discovery document naming another issuer is not used: 503")
    void otherIssuer() {
        assertUnusable(LocalOidcIssuer.Behaviour.OTHER_ISSUER);
    }

    @Test
    @DisplayName("an issuer registered with plain HTTP off loopback is never fetched")
    void httpsOnly() {
        String remote = "http://issuer.example.com";
        rules.with(new OidcIssuerItem(remote, GITHUB_AUDIENCE, "2026-12-07T00:00:00Z"));
        JWTClaimsSet claims = new JWTClaimsSet.Builder(githubClaims()).issuer(remote).build();

        assertThat(api.exchange(JWT, issuer.sign(claims)).status()).isEqualTo(503);
    }

    private void assertUnusable(LocalOidcIssuer.Behaviour behaviour) {
        register(GITHUB_AUDIENCE);
        trust("repo:acme/api:*", Map.of(), ServiceUserState.ENABLED);
        issuer.behave(behaviour);
        long started = System.nanoTime();

        HttpResponse response = api.exchange(JWT,
                issuer.githubActions("acme/api", "refs/heads/main", GITHUB_AUDIENCE, inFiveMinutes()));

        assertThat(response.status()).as(response.body()).isEqualTo(503);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
    }

    private JWTClaimsSet githubClaims() {
        return new JWTClaimsSet.Builder().issuer(issuer.issuer()).subject("repo:acme/api:ref:refs/heads/main")
                .audience(GITHUB_AUDIENCE).expirationTime(Date.from(inFiveMinutes())).build();
    }
}
