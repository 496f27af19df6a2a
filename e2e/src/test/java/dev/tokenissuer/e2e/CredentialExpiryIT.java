package dev.tokenissuer.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenissuer.admin.InProcessTokenCtl;
import dev.tokenissuer.store.ClientSecretItem;
import dev.tokenissuer.store.CredentialValidity;
import dev.tokenissuer.store.PublicKeyItem;
import dev.tokenissuer.store.TableSchema;
import dev.tokenissuer.testing.HttpApiInvoker;
import dev.tokenissuer.testing.HttpApiInvoker.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static dev.tokenissuer.testing.ClientAssertions.frontierAssertion;
import static dev.tokenissuer.testing.ClientAssertions.privateKeyFromPem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Credentials that expire, set with tokenctl, and the listings that show age and expiry, against DynamoDB and KMS in
 * the emulator through the Lambda handler.
 */
class CredentialExpiryIT {

    private static final String TOKEN = "/v1beta1/auth/token";
    private static final Map<String, String> FORM = Map.of("Content-Type", "application/x-www-form-urlencoded");

    private static EmulatedDeployment deployment;
    private static HttpApiInvoker api;
    private static String table;

    @BeforeAll
    static void provision() {
        deployment = new EmulatedDeployment("expiry", "https://issuer.example.test");
        api = deployment.api(deployment.environment);
        table = deployment.environment.get("TABLE_NAME");
    }

    @AfterAll
    static void close() {
        deployment.close();
    }

    private static InProcessTokenCtl.Run run(String... args) {
        return InProcessTokenCtl.run(deployment.environment, args);
    }

    private static JsonNode tokenctl(String... args) {
        InProcessTokenCtl.Run run = run(args);
        assertThat(run.status()).as(run.err()).isZero();
        return run.json();
    }

    private static Response withSecret(JsonNode secret) {
        return api.post(TOKEN, FORM, "grant_type=client_credentials&client_id=" + secret.get("client_id").asText()
                + "&client_secret=" + URLEncoder.encode(secret.get("client_secret").asText(), StandardCharsets.UTF_8));
    }

    /** What DynamoDB's TTL does some time after an expiry, or an operator does in a hurry: makes it expired now. */
    private static void expireNow(Map<String, AttributeValue> key) {
        Map<String, AttributeValue> past = CredentialValidity.attributes(Instant.now().minusSeconds(1));
        deployment.dynamo.updateItem(r -> r.tableName(table).key(key)
                .updateExpression("SET #until = :until, #ttl = :ttl")
                .expressionAttributeNames(Map.of("#until", TableSchema.VALID_UNTIL, "#ttl", TableSchema.TTL_ATTRIBUTE))
                .expressionAttributeValues(Map.of(":until", past.get(TableSchema.VALID_UNTIL),
                        ":ttl", past.get(TableSchema.TTL_ATTRIBUTE))));
    }

    @Test
    @DisplayName("secret create, key create and key add take --expires-in; the credential works until then and gets 401 invalid_client after")
    void credentialsExpire() throws Exception {
        String user = tokenctl("serviceuser", "create", "--org", "org-x", "--title", "expiring").get("id").asText();
        Instant before = Instant.now();
        JsonNode secret = tokenctl("secret", "create", user, "--expires-in", "90d");
        JsonNode key = tokenctl("key", "create", user, "--expires-in", "12h");
        assertThat(Instant.parse(secret.get("valid_until").asText()))
                .isBetween(before.plus(Duration.ofDays(90)).minusSeconds(2), Instant.now().plus(Duration.ofDays(90)));
        assertThat(withSecret(secret).status()).isEqualTo(200);

        Map<String, AttributeValue> item = deployment.dynamo.getItem(r -> r.tableName(table)
                .key(ClientSecretItem.key(secret.get("client_id").asText()))).item();
        assertThat(Long.parseLong(item.get(TableSchema.TTL_ATTRIBUTE).n())
                - Long.parseLong(item.get(TableSchema.VALID_UNTIL).n()))
                .as("DynamoDB's TTL deletes it a grace period after it expired")
                .isEqualTo(CredentialValidity.TTL_GRACE.toSeconds());

        expireNow(ClientSecretItem.key(secret.get("client_id").asText()));
        expireNow(PublicKeyItem.key(key.get("kid").asText()));
        Response expired = withSecret(secret);
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.json().get("error").asText()).isEqualTo("invalid_client");
        String assertion = frontierAssertion(privateKeyFromPem(key.get("private_key").asText()),
                key.get("kid").asText(), user, Duration.ofMinutes(5));
        Response expiredKey = api.post(TOKEN, FORM,
                "grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=" + assertion);
        assertThat(expiredKey.status()).isEqualTo(401);
        assertThat(expiredKey.json().get("error").asText()).isEqualTo("invalid_client");

        JsonNode secrets = tokenctl("secret", "list", user).get("secrets");
        assertThat(secrets).hasSize(1);
        assertThat(secrets.get(0).get("expired").asBoolean()).isTrue();
        assertThat(secrets.get(0).has("secret_hash")).isFalse();
        JsonNode keys = tokenctl("key", "list", user).get("keys");
        assertThat(keys.get(0).get("expired").asBoolean()).isTrue();
    }

    @Test
    @DisplayName("--expires-in takes s, m, h and d and refuses anything else, naming the form and the bounds")
    void refusesBadDurations() {
        String user = tokenctl("serviceuser", "create", "--org", "org-x", "--title", "durations").get("id").asText();
        for (String bad : List.of("90", "1w", "-5d", "0s", "3651d", "12 h")) {
            InProcessTokenCtl.Run refused = run("secret", "create", user, "--expires-in", bad);
            assertThat(refused.status()).as(bad).isEqualTo(1);
            assertThat(refused.err()).containsAnyOf("a whole number and a unit s, m, h or d",
                    "between 1m and 3650d");
        }
        assertThat(tokenctl("secret", "list", user).get("secrets")).isEmpty();
    }

    @Test
    @DisplayName("serviceuser get and the list commands show each credential's age and expiry")
    void listingsShowAgeAndExpiry() {
        String user = tokenctl("serviceuser", "create", "--org", "org-x", "--title", "listed").get("id").asText();
        tokenctl("secret", "create", user, "--expires-in", "10d");
        tokenctl("secret", "create", user);
        tokenctl("key", "create", user, "--expires-in", "36h");

        JsonNode shown = tokenctl("serviceuser", "get", user);
        assertThat(shown.get("secrets")).hasSize(2);
        assertThat(shown.get("keys")).hasSize(1);
        List<JsonNode> expiring = new ArrayList<>();
        shown.get("secrets").forEach(secret -> {
            assertThat(secret.get("age_days").asDouble()).isEqualTo(0.0);
            if (!secret.get("valid_until").isNull()) {
                expiring.add(secret);
            }
        });
        assertThat(expiring).hasSize(1);
        assertThat(expiring.get(0).get("expires_in_days").asDouble()).isCloseTo(10.0, within(0.1));
        assertThat(shown.get("keys").get(0).get("expires_in_days").asDouble()).isCloseTo(1.5, within(0.1));
        assertThat(shown.get("keys").get(0).get("expired").asBoolean()).isFalse();
    }

    @Test
    @DisplayName("serviceuser list pages through an org's service users with a query, and filters by state")
    void listsServiceUsers() {
        String org = "org-" + UUID.randomUUID();
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            String id = tokenctl("serviceuser", "create", "--org", org, "--title", "u" + i).get("id").asText();
            created.add(id);
            tokenctl("secret", "create", id);
        }
        String disabled = created.iterator().next();
        tokenctl("serviceuser", "disable", disabled);

        Set<String> listed = new HashSet<>();
        String token = null;
        int pages = 0;
        do {
            JsonNode page = token == null
                    ? tokenctl("serviceuser", "list", "--org", org, "--page-size", "2")
                    : tokenctl("serviceuser", "list", "--org", org, "--page-size", "2", "--page-token", token);
            assertThat(page.get("service_users").size()).isLessThanOrEqualTo(2);
            page.get("service_users").forEach(user -> {
                assertThat(user.get("org_id").asText()).isEqualTo(org);
                listed.add(user.get("id").asText());
            });
            token = page.get("next_page_token").isNull() ? null : page.get("next_page_token").asText();
            pages++;
        } while (token != null && pages < 10);
        assertThat(listed).isEqualTo(created);
        assertThat(pages).isGreaterThanOrEqualTo(3);

        JsonNode onlyDisabled = tokenctl("serviceuser", "list", "--org", org, "--state", "disabled");
        assertThat(onlyDisabled.get("service_users")).extracting(user -> user.get("id").asText())
                .containsExactly(disabled);
        JsonNode everyone = tokenctl("serviceuser", "list", "--state", "disabled", "--page-size", "500");
        assertThat(everyone.get("service_users")).extracting(user -> user.get("id").asText()).contains(disabled);
        assertThat(run("serviceuser", "list", "--page-token", "garbage").err())
                .contains("not a page token of serviceuser list");
    }

    @Test
    @DisplayName("a credential DynamoDB's TTL deleted is dropped from its service user's list by the next change, which succeeds")
    void vanishedCredentialsDoNotBlockChanges() {
        String user = tokenctl("serviceuser", "create", "--org", "org-x", "--title", "ttl").get("id").asText();
        JsonNode gone = tokenctl("secret", "create", user, "--expires-in", "1m");
        JsonNode kept = tokenctl("secret", "create", user);
        deployment.dynamo.deleteItem(r -> r.tableName(table).key(ClientSecretItem.key(gone.get("client_id").asText())));

        tokenctl("serviceuser", "set-scopes", user, "orders:read");
        tokenctl("serviceuser", "disable", user);

        JsonNode shown = tokenctl("serviceuser", "get", user);
        assertThat(shown.get("credentials")).extracting(JsonNode::asText)
                .containsExactly(ClientSecretItem.partitionKey(kept.get("client_id").asText()));
        assertThat(shown.get("state").asText()).isEqualTo("disabled");
    }
}
