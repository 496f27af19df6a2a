package dev.tokenissuer.store;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class TokenPolicyTest {

    @Test
    @DisplayName("a policy survives a credential item's round trip, JSON values as they were")
    void roundTripOnACredential() {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("tenant", "acme");
        claims.put("weight", new BigDecimal("1.5"));
        claims.put("flags", Arrays.asList(true, null, "x"));
        claims.put("nested", Map.of("a", List.of(new BigDecimal("1"))));
        TokenPolicy policy = new TokenPolicy(Optional.of(Duration.ofSeconds(600)), claims);
        ClientSecretItem item = new ClientSecretItem("5e0ad0a4-8b7c-4c8e-9f0e-2b7f3c1d6a90", "user", "org",
                ServiceUserState.ENABLED, "hash", "", "2026-01-01T00:00:00Z",
                new AllowedAccess(List.of("a"), List.of(), policy));

        Map<String, AttributeValue> stored = item.toItem();
        TokenPolicy read = ClientSecretItem.fromItem(stored).orElseThrow().credential().allowed().policy();

        assertThat(stored.get(TableSchema.TOKEN_CLAIMS).m().get("tenant").s()).isEqualTo("acme");
        assertThat(read).isEqualTo(policy);
    }

    @Test
    @DisplayName("an item written before policies existed reads as no policy, and no policy writes no attribute")
    void absentIsNone() {
        Map<String, AttributeValue> item = new HashMap<>();
        TokenPolicy.NONE.putInto(item);

        assertThat(item).isEmpty();
        assertThat(TokenPolicy.from(Map.of())).isEqualTo(TokenPolicy.NONE);
        assertThat(TokenPolicy.NONE.lifetimeAttribute()).isNull();
        assertThat(TokenPolicy.NONE.claimsAttribute()).isNull();
    }
}
