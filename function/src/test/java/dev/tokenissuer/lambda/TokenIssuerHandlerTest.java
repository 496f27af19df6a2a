package dev.tokenissuer.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tokenissuer.store.ServiceUserState;
import dev.tokenissuer.testing.FakeCredentialStore;
import dev.tokenissuer.testing.TestApis;
import dev.tokenissuer.testing.TestCredentials;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;

class TokenIssuerHandlerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final FakeCredentialStore store = new FakeCredentialStore().withDemoCredential(ServiceUserState.ENABLED);
    private final TokenIssuerHandler handler = new TokenIssuerHandler(TestApis.create(store));

    private JsonNode handle(InputStream event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(event, out, null);
        return JSON.readTree(out.toByteArray());
    }

    private JsonNode handle(String event) throws Exception {
        return handle(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)));
    }

    private JsonNode handleSample(String name) throws Exception {
        try (InputStream in = Files.newInputStream(SampleEvents.named(name))) {
            return handle(in);
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "token-client-credentials-basic.json, 200",
            "token-client-credentials-form.json, 200",
            "token-client-credentials-json.json, 200",
            "token-client-credentials-rest-api.json, 200",
            "token-client-credentials-function-url.json, 200",
            "token-bad-request.json, 400",
            // Its assertion is a placeholder, to be replaced by a fresh one (EventsIT does).
            "token-jwt-bearer.json, 401",
            "jwks.json, 200",
            "openid-configuration.json, 200",
            "oauth-authorization-server.json, 200"})
    @DisplayName("answers each sample event as a client would expect")
    void sampleEvents(String name, int status) throws Exception {
        JsonNode response = handleSample(name);

        assertThat(response.get("statusCode").asInt()).isEqualTo(status);
        assertThat(response.get("isBase64Encoded").asBoolean()).isFalse();
        assertThat(response.get("headers").get("Content-Type").asText()).isEqualTo("application/json");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"token-client-credentials-basic.json", "token-client-credentials-form.json",
            "token-client-credentials-json.json", "token-client-credentials-rest-api.json",
            "token-client-credentials-function-url.json"})
    @DisplayName("a client_credentials sample event gets a token for the demo credential that verifies against jwks.json")
    void sampleEventToken(String name) throws Exception {
        JsonNode tokenBody = JSON.readTree(handleSample(name).get("body").asText());
        JWKSet jwks = JWKSet.parse(handleSample("jwks.json").get("body").asText());

        SignedJWT jwt = SignedJWT.parse(tokenBody.get("access_token").asText());

        assertThat(tokenBody.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(jwt.getJWTClaimsSet().getStringClaim("client_id")).isEqualTo(TestCredentials.CLIENT_ID);
        assertThat(jwt.verify(new RSASSAVerifier(jwks.getKeyByKeyId(jwt.getHeader().getKeyID()).toRSAKey())))
                .isTrue();
    }

    @Test
    @DisplayName("the bad-request sample event is 400 code 3")
    void badRequestSample() throws Exception {
        JsonNode body = JSON.readTree(handleSample("token-bad-request.json").get("body").asText());

        assertThat(body.get("code").asInt()).isEqualTo(3);
        assertThat(body.get("error").asText()).isEqualTo("invalid_request");
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {"this is not JSON", "", "[1,2,3]", "\"a string\"", "{\"unterminated\": ", "null"})
    @DisplayName("answers an event that is not an API Gateway request with a 400 event response instead of throwing")
    void garbageEvent(String event) throws Exception {
        JsonNode response = handle(event);

        assertThat(response.get("statusCode").asInt()).isEqualTo(400);
        assertThat(JSON.readTree(response.get("body").asText()).get("code").asInt()).isEqualTo(3);
        assertThat(store.lookups()).isEmpty();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
            "{}",
            "{\"rawPath\": 5, \"headers\": \"x\", \"requestContext\": [], \"body\": {\"a\": 1}}",
            "{\"rawPath\": null, \"headers\": {\"content-type\": 5}, \"body\": null}",
            "{\"rawPath\": \"/v1beta1/auth/token\", \"requestContext\": {\"http\": {\"method\": \"POST\"}},"
                    + " \"isBase64Encoded\": true, \"body\": \"%%%\"}"})
    @DisplayName("answers an event whose fields have unexpected types or values with an error response, not an exception")
    void oddlyShapedEvent(String event) throws Exception {
        JsonNode response = handle(event);

        assertThat(response.get("statusCode").asInt()).isBetween(400, 499);
        assertThat(store.lookups()).isEmpty();
    }
}
