package dev.tokenissuer.grant;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The scope and audience rules tokenctl and the token endpoint share. */
class AccessLimitsTest {

    @Test
    @DisplayName("every RFC 6749 NQCHAR is a scope character, and nothing else is")
    void scopeCharacters() {
        for (int c = 0; c < 0x80; c++) {
            boolean expected = c == 0x21 || (c >= 0x23 && c <= 0x5B) || (c >= 0x5D && c <= 0x7E);
            assertThat(AccessLimits.whyNotScopes(List.of("a" + (char) c)).isEmpty()).as("char %d", c)
                    .isEqualTo(expected);
        }
        assertThat(AccessLimits.whyNotScopes(List.of("caf\u00e9"))).isPresent();
    }

    @Test
    @DisplayName("scopes: at most 32, each 1 to 128 characters, none twice, with a reason that says which rule")
    void scopeBounds() {
        assertThat(AccessLimits.whyNotScopes(Collections.nCopies(1, "x".repeat(128)))).isEmpty();
        assertThat(AccessLimits.whyNotScopes(List.of("x".repeat(129)))).hasValueSatisfying(
                reason -> assertThat(reason).contains("129 characters").contains("at most 128"));
        assertThat(AccessLimits.whyNotScopes(java.util.stream.IntStream.range(0, 33).mapToObj(i -> "s" + i)
                .toList())).hasValueSatisfying(reason -> assertThat(reason).contains("at most 32"));
        assertThat(AccessLimits.whyNotScopes(List.of("a", "a"))).hasValue("a scope is given twice");
        assertThat(AccessLimits.whyNotScopes(List.of(""))).hasValue("a scope is empty");
    }

    @Test
    @DisplayName("audiences: absolute URIs without fragment, at most 8 of at most 256 characters, none twice")
    void audiences() {
        assertThat(AccessLimits.whyNotAudiences(List.of("https://orders.example.com", "urn:example:orders",
                "https://a.example.com/api?x=1"))).isEmpty();
        for (String bad : List.of("", "orders", "/api", "https://a.example.com/#x", "https://a.example.com#",
                "https://a b.example.com", "https://a.example.com/" + "x".repeat(256))) {
            assertThat(AccessLimits.whyNotAudiences(List.of(bad))).as(bad).isPresent();
        }
        assertThat(AccessLimits.whyNotAudiences(java.util.stream.IntStream.range(0, 9)
                .mapToObj(i -> "https://a" + i + ".example.com").toList())).isPresent();
        assertThat(AccessLimits.whyNotAudiences(List.of("urn:a", "urn:a"))).hasValue("an audience is given twice");
    }

    @Test
    @DisplayName("an operator's list splits on any run of whitespace; a blank one is empty")
    void splitList() {
        assertThat(AccessLimits.splitList("  a  b\tc ")).containsExactly("a", "b", "c");
        assertThat(AccessLimits.splitList("")).isEmpty();
        assertThat(AccessLimits.splitList("   ")).isEmpty();
    }
}
