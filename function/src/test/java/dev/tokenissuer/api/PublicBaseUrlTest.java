package dev.tokenissuer.api;

import dev.tokenissuer.testing.Requests;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The Host a client sends decides the advertised URLs only when it is a host name; crafted ones are answered at once. */
class PublicBaseUrlTest {

    static Stream<Arguments> craftedHosts() {
        return Stream.of(
                Arguments.of("five thousand labels", "a.".repeat(5_000) + "!"),
                Arguments.of("five thousand valid labels and a bad port", "a.".repeat(5_000) + "a:x"),
                Arguments.of("a long label of dashes", "a" + "-".repeat(10_000) + "!"),
                Arguments.of("a long IP literal", "[" + ":".repeat(10_000)),
                Arguments.of("labels of 62 characters", ("a" + "-".repeat(60) + "a.").repeat(160) + "-"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("craftedHosts")
    @DisplayName("a crafted Host is refused within two seconds, without exhausting the stack")
    void craftedHostIsRefusedPromptly(String what, String host) {
        Optional<String> base = assertTimeoutPreemptively(Duration.ofSeconds(2),
                () -> PublicBaseUrl.of(Requests.get("/").header("Host", host).build(), Optional.empty()));

        assertThat(base).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "localhost:3000", "a.b.c", "[::1]", "[2001:db8::1]:443", "x-1.example"})
    @DisplayName("host names and IP literals with or without a port are accepted")
    void hostsAreAccepted(String host) {
        assertThat(PublicBaseUrl.isHost(host)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a..b", "a.", ".a", "[::1", "[]", "[::1]x", "a:", "a:123456", ":80", "-a.b", "a-.b",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.b"})
    @DisplayName("malformed hosts are refused")
    void malformedHostsAreRefused(String host) {
        assertThat(PublicBaseUrl.isHost(host)).isFalse();
    }

    @ParameterizedTest(name = "X-Forwarded-Proto \"{0}\" is {1}")
    @CsvSource(delimiter = '|', value = {
            "https|https",
            "http|http",
            "HTTP|http",
            "http,https|https",
            "http, https|https",
            "https, http|http",
            "gopher, https|https",
            "https, gopher|https",
            "' '|https",
            "https,|https"})
    @DisplayName("the scheme is the last X-Forwarded-Proto value, the one the front nearest the function wrote; "
            + "anything but http or https reads as https")
    void lastForwardedProtoWins(String header, String scheme) {
        assertThat(PublicBaseUrl.scheme(Requests.get("/").header("X-Forwarded-Proto", header).build()))
                .isEqualTo(scheme);
    }

    @Test
    @DisplayName("a client's X-Forwarded-Proto before the one API Gateway appends does not choose the scheme")
    void clientValueBeforeTheFrontsIsIgnored() {
        Optional<String> base = PublicBaseUrl.of(Requests.get("/").header("Host", "auth.example.com")
                .header("X-Forwarded-Proto", "http").header("x-forwarded-proto", "https").build(), Optional.empty());

        assertThat(base).contains("https://auth.example.com");
    }

    @Test
    @DisplayName("without X-Forwarded-Proto the scheme is https")
    void noForwardedProto() {
        assertThat(PublicBaseUrl.scheme(Requests.get("/").build())).isEqualTo("https");
    }
}
