package dev.tokenissuer.token;

import com.nimbusds.jwt.SignedJWT;
import dev.tokenissuer.store.TokenPolicy;
import dev.tokenissuer.testing.LocalSigningKeys;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** A service user's own token lifetime and static claims, as the token builder applies them. */
class ServiceUserTokenPolicyTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T02:30:00Z"), ZoneOffset.UTC);
    private static final String ISSUER = "https://issuer.example";
    private static final Duration TTL = Duration.ofHours(1);
    private static final Duration MAX = Duration.ofHours(2);
    private static final TokenSubject SUBJECT = new TokenSubject(
            "0b6f3f0e-1c2d-4e5f-8a9b-0c1d2e3f4a5b", "7d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6",
            "5e0ad0a4-8b7c-4c8e-9f0e-2b7f3c1d6a90", TokenSubject.VIA_CLIENT_SECRET);

    private final AccessTokenIssuer issuer = new AccessTokenIssuer(LocalSigningKeys.rsa(), TTL, MAX,
            List.of("https://default.example"), AccessTokenProfile.FRONTIER, CLOCK);

    private static TokenSubject with(TokenPolicy policy, List<String> scopes, List<String> audiences) {
        return SUBJECT.withAccess(new GrantedAccess(scopes, audiences, policy));
    }

    private static Map<String, Object> payload(IssuedToken token) throws Exception {
        return SignedJWT.parse(token.accessToken()).getPayload().toJSONObject();
    }

    @Test
    @DisplayName("a service user's static claims, strings and JSON values, are in its tokens")
    void carriesStaticClaims() throws Exception {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("tenant", "acme");
        claims.put("roles", List.of("reader", "writer"));
        claims.put("limits", Map.of("rps", new BigDecimal("50"), "burst", true));
        IssuedToken token = issuer.issue(with(new TokenPolicy(Optional.empty(), claims), List.of(), List.of()), ISSUER);

        Map<String, Object> payload = payload(token);
        assertThat(payload).containsEntry("tenant", "acme").containsEntry("roles", List.of("reader", "writer"));
        assertThat(payload.get("limits")).isEqualTo(Map.of("rps", 50L, "burst", true));
        assertThat(token.expiresInSeconds()).isEqualTo(TTL.toSeconds());
    }

    @Test
    @DisplayName("a service user's own lifetime sets exp and expires_in; one over the deployment's maximum is cut to it")
    void ownLifetime() throws Exception {
        IssuedToken shorter = issuer.issue(with(new TokenPolicy(Optional.of(Duration.ofMinutes(5)), Map.of()),
                List.of(), List.of()), ISSUER);
        IssuedToken tooLong = issuer.issue(with(new TokenPolicy(Optional.of(Duration.ofHours(5)), Map.of()),
                List.of(), List.of()), ISSUER);

        assertThat(shorter.expiresInSeconds()).isEqualTo(300);
        assertThat((Long) payload(shorter).get("exp") - (Long) payload(shorter).get("iat")).isEqualTo(300);
        assertThat(tooLong.expiresInSeconds()).isEqualTo(MAX.toSeconds());
        assertThat((Long) payload(tooLong).get("exp") - (Long) payload(tooLong).get("iat"))
                .isEqualTo(MAX.toSeconds());
    }

    @Test
    @DisplayName("a stored claim with a reserved name never replaces the token's own, whatever its case")
    void reservedClaimsAreNeverReplaced() throws Exception {
        Map<String, Object> claims = Map.of("sub", "someone-else", "SCOPE", "admin", "tenant", "acme");
        Map<String, Object> payload = payload(issuer.issue(with(new TokenPolicy(Optional.empty(), claims),
                List.of("orders:read"), List.of()), ISSUER));

        assertThat(payload).containsEntry("sub", SUBJECT.serviceUserId()).containsEntry("scope", "orders:read")
                .doesNotContainKey("SCOPE").containsEntry("tenant", "acme");
    }

    @Test
    @DisplayName("every claim a token carries, with every option on, is a reserved name: the list follows the builder")
    void reservedNamesCoverEveryClaimTheBuilderWrites() throws Exception {
        TokenSubject everything = with(TokenPolicy.NONE, List.of("orders:read"), List.of("https://orders.example"))
                .boundTo("0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I");

        Map<String, Object> payload = payload(issuer.issue(everything, ISSUER));

        assertThat(payload.keySet()).allSatisfy(name -> assertThat(CustomClaims.isReserved(name))
                .as("claim %s is written by the token builder but not reserved in CustomClaims", name).isTrue());
        assertThat(payload).containsKeys("aud", "scope", "cnf");
    }

    @Test
    @DisplayName("names are checked: reserved (in any case), malformed or too long are refused, each naming why")
    void namesAreChecked() {
        assertThat(CustomClaims.whyNotName("tenant")).isEmpty();
        assertThat(CustomClaims.whyNotName("https://example.com/tenant")).isEmpty();
        assertThat(CustomClaims.whyNotName("client_id")).get().asString().contains("is reserved");
        assertThat(CustomClaims.whyNotName("Auth_Via")).get().asString().contains("is reserved");
        assertThat(CustomClaims.whyNotName("has space")).get().asString().contains("must start with a letter");
        assertThat(CustomClaims.whyNotName("x".repeat(65))).get().asString().contains("1 to 64 characters");
    }

    @Test
    @DisplayName("claims are bounded in number, size and depth, and the refusal names the limit")
    void claimsAreBounded() {
        Map<String, Object> many = new LinkedHashMap<>();
        for (int i = 0; i <= CustomClaims.MAX_CLAIMS; i++) {
            many.put("c" + i, "v");
        }
        assertThat(CustomClaims.whyNot(many)).get().asString().contains("at most 16 are allowed");
        assertThat(CustomClaims.whyNot(Map.of("big", "x".repeat(2100)))).get().asString()
                .contains("at most 2048 are allowed");
        assertThat(CustomClaims.whyNot(Map.of("deep", List.of(List.of(List.of(List.of(List.of()))))))).get()
                .asString().contains("more than 4 deep");
        assertThat(CustomClaims.whyNotLifetime(Duration.ofHours(3), MAX)).get().asString()
                .contains("between 60 and 7200 seconds");
    }
}
