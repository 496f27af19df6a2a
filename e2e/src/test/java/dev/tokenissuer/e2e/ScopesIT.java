package dev.tokenissuer.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.tokenissuer.admin.InProcessTokenCtl;
import dev.tokenissuer.testing.HttpApiInvoker.Response;
import dev.tokenissuer.testing.HttpApiInvoker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.tokenissuer.testing.ClientAssertions.frontierAssertion;
import static dev.tokenissuer.testing.ClientAssertions.privateKeyFromPem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scopes and audiences set with tokenctl, against DynamoDB and KMS in the emulator, through the Lambda handler:
 * what an operator does and what a client sees at once.
 */
class ScopesIT {

    private static final String TOKEN = "/v1beta1/auth/token";
    private static final String GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private static final Map<String, String> FORM = Map.of("Content-Type", "application/x-www-form-urlencoded");
    private static final String ORDERS = "https://orders.example.com";
    private static final String BILLING = "https://billing.example.com";

    private static EmulatedDeployment deployment;
    private static HttpApiInvoker api;

    @BeforeAll
    static void provision() {
        deployment = new EmulatedDeployment("scopes", "https://issuer.example.test");
        api = deployment.api(deployment.environment);
    }

    @AfterAll
    static void close() {
        deployment.close();
    }

    private static JsonNode tokenctl(String... args) {
        InProcessTokenCtl.Run run = InProcessTokenCtl.run(deployment.environment, args);
        assertThat(run.status()).as(run.err()).isZero();
        return run.json();
    }

    /** A service user made by tokenctl with these allowed sets, a secret and a key. */
    private record Client(String userId, String clientId, String clientSecret, String kid, PrivateKey key) {
    }

    private static Client client(String scopes, String audiences) throws Exception {
        String user = tokenctl("serviceuser", "create", "--org", "org-9", "--title", "scoped", "--scopes", scopes,
                "--audiences", audiences).get("id").asText();
        JsonNode secret = tokenctl("secret", "create", user);
        JsonNode key = tokenctl("key", "create", user);
        return new Client(user, secret.get("client_id").asText(), secret.get("client_secret").asText(),
                key.get("kid").asText(), privateKeyFromPem(key.get("private_key").asText()));
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static Response withSecret(Client client, String extra) {
        return api.post(TOKEN, FORM, "grant_type=client_credentials&client_id=" + client.clientId()
                + "&client_secret=" + form(client.clientSecret()) + extra);
    }

    private static String assertion(Client client) {
        return frontierAssertion(client.key(), client.kid(), client.userId(), Duration.ofMinutes(5));
    }

    private static Response withAssertion(String assertion, String extra) {
        return api.post(TOKEN, FORM, "grant_type=" + GRANT + "&assertion=" + assertion + extra);
    }

    /** Both grants with {@code extra}, in that order. */
    private static List<Response> both(Client client, String extra) {
        List<Response> responses = new ArrayList<>();
        responses.add(withSecret(client, extra));
        responses.add(withAssertion(assertion(client), extra));
        return responses;
    }

    private static JWTClaimsSet claims(Response response) throws Exception {
        assertThat(response.status()).as(response.json().toString()).isEqualTo(200);
        return EmulatedDeployment.verifyAgainstJwks(api, response.json().get("access_token").asText());
    }

    private static void assertRefused(Response response, String error) {
        assertThat(response.status()).as(response.json().toString()).isEqualTo(400);
        assertThat(response.json().get("code").asInt()).isEqualTo(3);
        assertThat(response.json().get("error").asText()).isEqualTo(error);
    }

    @Test
    @DisplayName("tokenctl stores the allowed sets; both grants get the asked scopes and resources in the token")
    void grantsWhatIsAsked() throws Exception {
        Client client = client("orders:read orders:write", ORDERS + " " + BILLING);
        JsonNode shown = tokenctl("serviceuser", "get", client.userId());
        assertThat(shown.get("scopes")).extracting(JsonNode::asText).containsExactly("orders:read", "orders:write");
        assertThat(shown.get("audiences")).extracting(JsonNode::asText).containsExactly(BILLING, ORDERS);

        for (Response response : both(client, "&scope=orders:read&resource=" + form(ORDERS)
                + "&resource=" + form(BILLING))) {
            JWTClaimsSet claims = claims(response);
            assertThat(claims.getStringClaim("scope")).isEqualTo("orders:read");
            assertThat(claims.getAudience()).containsExactly(ORDERS, BILLING);
            assertThat(response.json().get("scope").asText()).isEqualTo("orders:read");
        }
    }

    @Test
    @DisplayName("narrowing a service user's scopes and audiences takes effect at once, for every credential")
    void narrowingTakesEffectAtOnce() throws Exception {
        Client client = client("orders:read orders:write", ORDERS + " " + BILLING);
        both(client, "&scope=orders:write&resource=" + form(BILLING)).forEach(response ->
                assertThat(response.status()).isEqualTo(200));

        tokenctl("serviceuser", "set-scopes", client.userId(), "orders:read");
        tokenctl("serviceuser", "set-audiences", client.userId(), ORDERS);

        both(client, "&scope=orders:write").forEach(response -> assertRefused(response, "invalid_scope"));
        both(client, "&resource=" + form(BILLING)).forEach(response -> assertRefused(response, "invalid_target"));
        for (Response response : both(client, "")) {
            assertThat(claims(response).getStringClaim("scope")).isEqualTo("orders:read");
        }

        tokenctl("serviceuser", "set-scopes", client.userId(), "");
        tokenctl("serviceuser", "set-audiences", client.userId(), "");
        for (Response response : both(client, "")) {
            JWTClaimsSet claims = claims(response);
            assertThat(claims.getClaim("scope")).isNull();
            assertThat(response.json().has("scope")).isFalse();
        }
        both(client, "&resource=" + form(ORDERS)).forEach(response -> assertRefused(response, "invalid_target"));
    }

    @Test
    @DisplayName("a credential added after the scopes were set carries them")
    void laterCredentialsCarryTheSets() throws Exception {
        String user = tokenctl("serviceuser", "create", "--org", "org-9", "--title", "late").get("id").asText();
        tokenctl("serviceuser", "set-scopes", user, "reports:read");
        JsonNode secret = tokenctl("secret", "create", user);

        Response response = api.post(TOKEN, FORM, "grant_type=client_credentials&client_id="
                + secret.get("client_id").asText() + "&client_secret=" + form(secret.get("client_secret").asText()));
        assertThat(claims(response).getStringClaim("scope")).isEqualTo("reports:read");
    }

    @Test
    @DisplayName("an assertion refused its scope or resource is not spent: the same assertion then gets a token")
    void refusedAssertionStaysUnused() throws Exception {
        Client client = client("orders:read", ORDERS);
        String assertion = assertion(client);

        assertRefused(withAssertion(assertion, "&scope=orders:write"), "invalid_scope");
        assertRefused(withAssertion(assertion, "&resource=" + form(BILLING)), "invalid_target");
        assertRefused(withAssertion(assertion, "&resource=" + form(ORDERS + "#x")), "invalid_target");
        assertThat(claims(withAssertion(assertion, "&scope=orders:read")).getStringClaim("scope"))
                .isEqualTo("orders:read");
        assertThat(withAssertion(assertion, "").status()).as("and then it is spent").isEqualTo(401);
    }

    @Test
    @DisplayName("tokenctl refuses malformed or too many scopes and audiences with a clear message")
    void tokenctlRefusesBadSets() {
        String user = tokenctl("serviceuser", "create", "--org", "org-9", "--title", "bad").get("id").asText();
        InProcessTokenCtl.Run quote = InProcessTokenCtl.run(deployment.environment, "serviceuser", "set-scopes", user,
                "orders:\"read\"");
        assertThat(quote.status()).isNotZero();
        assertThat(quote.err()).contains("RFC 6749 §3.3");
        InProcessTokenCtl.Run many = InProcessTokenCtl.run(deployment.environment, "serviceuser", "set-scopes", user,
                String.join(" ", java.util.stream.IntStream.range(0, 33).mapToObj(i -> "s" + i).toList()));
        assertThat(many.err()).contains("33 scopes; at most 32");
        InProcessTokenCtl.Run fragment = InProcessTokenCtl.run(deployment.environment, "serviceuser",
                "set-audiences", user, ORDERS + "#top");
        assertThat(fragment.err()).contains("absolute URI without a fragment");
        InProcessTokenCtl.Run twice = InProcessTokenCtl.run(deployment.environment, "serviceuser", "create",
                "--org", "o", "--title", "t", "--scopes", "a a");
        assertThat(twice.err()).contains("given twice");
        assertThat(tokenctl("serviceuser", "get", user).get("scopes")).isEmpty();
    }
}
