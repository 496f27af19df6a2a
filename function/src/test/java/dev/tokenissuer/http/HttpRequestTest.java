package dev.tokenissuer.http;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HttpRequestTest {

    @Test
    @DisplayName("header names match whatever their case")
    void caseInsensitiveHeaders() {
        HttpRequest request = new HttpRequest("post", "/p", Map.of("content-type", "application/json"), null);

        assertThat(request.header("Content-Type")).contains("application/json");
        assertThat(request.header("CONTENT-TYPE")).contains("application/json");
        assertThat(request.body()).isEmpty();
    }

    @Test
    @DisplayName("the method is kept as sent: methods are case-sensitive (RFC 9110 §9.1), post is not POST")
    void methodKeptAsSent() {
        assertThat(new HttpRequest("post", "/p", Map.of(), null).method()).isEqualTo("post");
        assertThat(new HttpRequest("POST", "/p", Map.of(), null).method()).isEqualTo("POST");
    }

    @Test
    @DisplayName("the same header under two spellings is combined, not silently dropped")
    void duplicateHeadersCombined() {
        Map<String, String> headers = new HashMap<>();
        headers.put("authorization", "Basic a");
        headers.put("Authorization", "Basic b");

        HttpRequest request = new HttpRequest("POST", "/p", headers, new byte[0]);

        assertThat(request.header("authorization")).hasValueSatisfying(value ->
                assertThat(value).contains("Basic a").contains("Basic b"));
    }

    @Test
    @DisplayName("null method, path and headers are tolerated")
    void nulls() {
        HttpRequest request = new HttpRequest(null, null, null, null);

        assertThat(request.method()).isEmpty();
        assertThat(request.path()).isEmpty();
        assertThat(request.headers()).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"//.well-known/jwks.json, /.well-known/jwks.json", "/v1beta1//auth///token, /v1beta1/auth/token",
            "//, /", "/a/, /a/", "/%2F.well-known/jwks.json, /%2F.well-known/jwks.json", "/./a, /./a"})
    @DisplayName("repeated slashes collapse into one, and nothing else is normalized")
    void repeatedSlashesCollapse(String raw, String routed) {
        assertThat(new HttpRequest("GET", raw, Map.of(), null).path()).isEqualTo(routed);
    }
}
