package dev.tokenissuer.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.tokenissuer.admin.InProcessTokenCtl;
import dev.tokenissuer.testing.HttpApiInvoker;
import dev.tokenissuer.testing.HttpApiInvoker.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.tokenissuer.testing.ClientAssertions.frontierAssertion;
import static dev.tokenissuer.testing.ClientAssertions.privateKeyFromPem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service user's own token lifetime and static claims, set with tokenctl, against DynamoDB and KMS in the
 * emulator, through the Lambda handler: both grants carry them, and bad input is refused naming the limit.
 */
class TokenPolicyIT {

    private static final String TOKEN = "/v1beta1/auth/token";
    private static final Map<String, String> FORM = Map.of("Content-Type", "application/x-www-form-urlencoded");

    private static EmulatedDeployment deployment;
    private static Map<String, String> environment;
    private static HttpApiInvoker api;

    @BeforeAll
    static void provision() {
        deployment = new EmulatedDeployment("policy", "https://issuer.example.test");
        Map<String, String> env = new HashMap<>(deployment.environment);
        env.put("TOKEN_TTL_SECONDS", "3600");
        env.put("TOKEN_MAX_TTL_SECONDS", "7200");
        environment = Map.copyOf(env);
        api = deployment.api(environment);
    }

    @AfterAll
    static void close() {
        deployment.close();
    }

    private static InProcessTokenCtl.Run run(String... args) {
        return InProcessTokenCtl.run(environment, args);
    }

    private static JsonNode tokenctl(String... args) {
        InProcessTokenCtl.Run run = run(args);
        assertThat(run.status()).as(run.err()).isZero();
        return run.json();
    }

    private static JWTClaimsSet secretToken(String clientId, String secret, List<Long> expiresIn) throws Exception {
        Response response = api.post(TOKEN, FORM, "grant_type=client_credentials&client_id=" + clientId
                + "&client_secret=" + URLEncoder.encode(secret, StandardCharsets.UTF_8));
        assertThat(response.status()).as(response.json().toString()).isEqualTo(200);
        expiresIn.add(response.json().get("expires_in").asLong());
        return EmulatedDeployment.verifyAgainstJwks(api, response.json().get("access_token").asText());
    }

    private static JWTClaimsSet assertionToken(String user, JsonNode key) throws Exception {
        String assertion = frontierAssertion(privateKeyFromPem(key.get("private_key").asText()),
                key.get("kid").asText(), user, Duration.ofMinutes(5));
        Response response = api.post(TOKEN, FORM,
                "grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=" + assertion);
        assertThat(response.status()).as(response.json().toString()).isEqualTo(200);
        return EmulatedDeployment.verifyAgainstJwks(api, response.json().get("access_token").asText());
    }

    @Test
    @DisplayName("every grant carries the service user's claims and lifetime, and changes reach every credential at once")
    void everyGrantCarriesThePolicy() throws Exception {
        String user = tokenctl("serviceuser", "create", "--org", "org-7", "--title", "tenant worker",
                "--token-lifetime", "600", "--claim", "tenant=acme", "--claim-json", "roles=[\"reader\",\"writer\"]",
                "--claim-json", "tier={\"level\":2,\"beta\":true}").get("id").asText();
        JsonNode secret = tokenctl("secret", "create", user);
        JsonNode key = tokenctl("key", "create", user);
        JsonNode shown = tokenctl("serviceuser", "get", user);
        assertThat(shown.get("token_lifetime_seconds").asLong()).isEqualTo(600);
        assertThat(shown.get("claims").get("tenant").asText()).isEqualTo("acme");

        List<Long> expiresIn = new java.util.ArrayList<>();
        for (JWTClaimsSet claims : List.of(
                secretToken(secret.get("client_id").asText(), secret.get("client_secret").asText(), expiresIn),
                assertionToken(user, key))) {
            assertThat(claims.getStringClaim("tenant")).isEqualTo("acme");
            assertThat(claims.getStringListClaim("roles")).containsExactly("reader", "writer");
            assertThat(claims.getJSONObjectClaim("tier")).containsEntry("level", 2L).containsEntry("beta", true);
            assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()).isEqualTo(600_000);
            assertThat(claims.getSubject()).isEqualTo(user);
        }
        assertThat(expiresIn).containsExactly(600L);

        tokenctl("serviceuser", "set-claims", user, "tenant=globex", "region=eu");
        tokenctl("serviceuser", "set-token-lifetime", user, "7200");
        JWTClaimsSet changed = secretToken(secret.get("client_id").asText(), secret.get("client_secret").asText(),
                expiresIn);
        assertThat(changed.getStringClaim("tenant")).isEqualTo("globex");
        assertThat(changed.getStringClaim("region")).isEqualTo("eu");
        assertThat(changed.getClaim("roles")).isNull();
        assertThat(assertionToken(user, key).getStringClaim("tenant")).isEqualTo("globex");
        assertThat(expiresIn.get(1)).isEqualTo(7200L);

        tokenctl("serviceuser", "set-claims", user);
        tokenctl("serviceuser", "set-token-lifetime", user, "");
        JWTClaimsSet plain = secretToken(secret.get("client_id").asText(), secret.get("client_secret").asText(),
                expiresIn);
        assertThat(plain.getClaim("tenant")).isNull();
        assertThat(expiresIn.get(2)).isEqualTo(3600L);
    }

    @Test
    @DisplayName("tokenctl refuses a reserved or malformed claim name, too many or too large claims and a lifetime over the maximum, naming the limit, and stores nothing")
    void refusesBadPolicies() {
        String user = tokenctl("serviceuser", "create", "--org", "org-7", "--title", "plain").get("id").asText();
        Map<String[], String> refusals = new java.util.LinkedHashMap<>();
        refusals.put(new String[]{"serviceuser", "set-claims", user, "sub=someone-else"}, "is reserved");
        refusals.put(new String[]{"serviceuser", "set-claims", user, "Org_IDs=x"}, "is reserved");
        refusals.put(new String[]{"serviceuser", "set-claims", user, "1tenant=x"}, "must start with a letter");
        refusals.put(new String[]{"serviceuser", "set-claims", user, "tenant"}, "NAME=VALUE");
        refusals.put(new String[]{"serviceuser", "set-claims", user, "--claim-json", "tier={oops"},
                "not one JSON value");
        refusals.put(new String[]{"serviceuser", "set-claims", user, "big=" + "x".repeat(3000)},
                "at most 2048 are allowed");
        String[] many = new String[3 + 17];
        many[0] = "serviceuser";
        many[1] = "set-claims";
        many[2] = user;
        for (int i = 0; i < 17; i++) {
            many[3 + i] = "c" + i + "=v";
        }
        refusals.put(many, "at most 16 are allowed");
        refusals.put(new String[]{"serviceuser", "set-token-lifetime", user, "7201"},
                "between 60 and 7200 seconds (the deployment's maximum, TOKEN_MAX_TTL_SECONDS)");
        refusals.put(new String[]{"serviceuser", "set-token-lifetime", user, "59"}, "between 60 and 7200");
        refusals.put(new String[]{"serviceuser", "create", "--org", "o", "--title", "t", "--claim", "exp=1"},
                "is reserved");
        refusals.forEach((args, message) -> {
            InProcessTokenCtl.Run refused = run(args);
            assertThat(refused.status()).as(String.join(" ", args)).isEqualTo(1);
            assertThat(refused.err()).contains(message);
        });
        JsonNode unchanged = tokenctl("serviceuser", "get", user);
        assertThat(unchanged.get("claims").size()).isZero();
        assertThat(unchanged.get("token_lifetime_seconds").isNull()).isTrue();
    }
}
