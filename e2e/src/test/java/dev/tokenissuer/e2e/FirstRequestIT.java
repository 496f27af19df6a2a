package dev.tokenissuer.e2e;

import dev.tokenissuer.admin.AdminStore;
import dev.tokenissuer.config.IssuerConfig;
import dev.tokenissuer.lambda.TokenIssuerApplication;
import dev.tokenissuer.lambda.TokenIssuerHandler;
import dev.tokenissuer.testing.DeployedApis;
import dev.tokenissuer.testing.HttpApiInvoker;
import dev.tokenissuer.testing.HttpApiInvoker.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a new container's first token costs, counted on the wire against the emulator: the round trips a token cannot
 * do without (one credential GetItem, one Sign), because the verification set names the signer and is read while
 * the container starts, not on the first request.
 */
class FirstRequestIT {

    private final EmulatedDeployment deployment = new EmulatedDeployment("first-request", "https://issuer.example.test");

    @AfterEach
    void close() {
        deployment.close();
    }

    private static String basic(AdminStore.NewSecret secret) {
        return "Basic " + Base64.getEncoder().encodeToString(
                (secret.clientId() + ":" + secret.clientSecret()).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("a started container's first token is one GetItem and one Sign; the set was read at start, no GetPublicKey")
    void firstTokenCostsWhatATokenCosts() throws Exception {
        String user = deployment.store.createServiceUser("org-1", "first request").id();
        AdminStore.NewSecret secret = deployment.store.createSecret(user, "");
        deployment.kmsCalls.reset();
        deployment.dynamoCalls.reset();

        TokenIssuerApplication.Application application = DeployedApis.deployed(
                IssuerConfig.from(deployment.environment), deployment.kms, deployment.dynamo);
        application.warmUp().run();
        for (int i = 0; i < 100 && deployment.dynamoCalls.count("GetItem") == 0; i++) {
            Thread.sleep(50);
        }
        Thread.sleep(100);
        Map<String, Integer> atStart = Map.copyOf(deployment.dynamoCalls.snapshot());
        deployment.dynamoCalls.reset();
        HttpApiInvoker api = new HttpApiInvoker(new TokenIssuerHandler(application.api()));

        Response response = api.post("/v1beta1/auth/token", Map.of("Authorization", basic(secret),
                "Content-Type", "application/x-www-form-urlencoded"), "grant_type=client_credentials");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(atStart).isEqualTo(Map.of("GetItem", 1));
        assertThat(deployment.dynamoCalls.snapshot()).isEqualTo(Map.of("GetItem", 1));
        assertThat(deployment.kmsCalls.snapshot()).isEqualTo(Map.of("Sign", 1));
    }

    @Test
    @DisplayName("the JWKS reads each published key's public half once, and still verifies the tokens")
    void jwksReadsPublicKeysOnce() throws Exception {
        HttpApiInvoker api = deployment.api(deployment.environment);
        deployment.kmsCalls.reset();

        api.get("/.well-known/jwks.json");
        api.get("/.well-known/jwks.json");

        assertThat(deployment.kmsCalls.snapshot()).isEqualTo(Map.of("GetPublicKey", 1));
    }
}
