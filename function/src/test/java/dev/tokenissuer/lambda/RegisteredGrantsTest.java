package dev.tokenissuer.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tokenissuer.api.RequestLog;
import dev.tokenissuer.grant.Established;
import dev.tokenissuer.grant.Grant;
import dev.tokenissuer.grant.RequestedAccess;
import dev.tokenissuer.grant.Grants;
import dev.tokenissuer.grant.OAuthError;
import dev.tokenissuer.grant.PrimingRequest;
import dev.tokenissuer.grant.TokenRequest;
import dev.tokenissuer.http.Endpoints;
import dev.tokenissuer.http.HttpResponse;
import dev.tokenissuer.store.ServiceUserState;
import dev.tokenissuer.testing.FakeCredentialStore;
import dev.tokenissuer.testing.LocalSigningKeys;
import dev.tokenissuer.testing.Requests;
import dev.tokenissuer.testing.TestApis;
import dev.tokenissuer.testing.TestCredentials;
import dev.tokenissuer.token.TokenSubject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** What derives from the registered grants: the parser, discovery, priming and the OpenAPI document. */
class RegisteredGrantsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A grant that exists only in this test: it reads one parameter of its own, wants an authenticated client and
     * gives the token to that client's service user.
     */
    private static final class DeviceAttestationGrant implements Grant {
        static final String GRANT_TYPE = "urn:example:params:oauth:grant-type:device-attestation";
        final List<String> attestations = new ArrayList<>();

        @Override
        public String grantType() {
            return GRANT_TYPE;
        }

        @Override
        public Set<String> parameters() {
            return Set.of("attestation");
        }

        @Override
        public ClientAuthenticationRule clientAuthentication() {
            return ClientAuthenticationRule.REQUIRED;
        }

        @Override
        public Established authorize(TokenRequest request, Optional<TokenSubject> client, RequestedAccess access) {
            attestations.add(request.parameter("attestation").orElseThrow(
                    () -> OAuthError.invalidRequest("attestation is required").exception()));
            return Established.of(client.orElseThrow());
        }

        @Override
        public PrimingRequest primingRequest() {
            return new PrimingRequest(Map.of(TokenRequest.GRANT_TYPE, GRANT_TYPE), 400);
        }
    }

    private final FakeCredentialStore store = new FakeCredentialStore().withDemoCredential(ServiceUserState.ENABLED);
    private final DeviceAttestationGrant extra = new DeviceAttestationGrant();
    private final TokenIssuerApplication.Application application = TokenIssuerApplication.wire(TestApis.CONFIG,
            TestApis.backends(store, LocalSigningKeys.rsa()), RequestLog.none(), List.of(extra), "");

    @Test
    @DisplayName("a grant registered in the wiring is parsed: its parameter reaches it and it issues a token")
    void extraGrantIsParsed() throws Exception {
        HttpResponse response = application.api().handle(Requests.post(Endpoints.TOKEN_PATH)
                .header("Authorization", TestCredentials.basic(TestCredentials.CLIENT_ID,
                        TestCredentials.CLIENT_SECRET))
                .form("grant_type=" + DeviceAttestationGrant.GRANT_TYPE + "&attestation=quote-1")
                .build());

        assertThat(response.status()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("access_token").asText()).isNotEmpty();
        assertThat(extra.attestations).containsExactly("quote-1");
    }

    @Test
    @DisplayName("a grant registered in the wiring has its parameters typed: a JSON number for one is a 400")
    void extraGrantParameterIsKnown() throws Exception {
        HttpResponse response = application.api().handle(Requests.post(Endpoints.TOKEN_PATH)
                .json("{\"grant_type\":\"" + DeviceAttestationGrant.GRANT_TYPE + "\",\"attestation\":7}").build());

        assertThat(response.status()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("error_description").asText())
                .isEqualTo("attestation must be a string");
    }

    @Test
    @DisplayName("a grant registered in the wiring is advertised in discovery")
    void extraGrantIsAdvertised() throws Exception {
        HttpResponse response = application.api().handle(Requests.get(Endpoints.OAUTH_METADATA_PATH)
                .header("Host", "auth.example.com").build());

        assertThat(JSON.readTree(response.body()).get("grant_types_supported"))
                .extracting(JsonNode::asText)
                .containsExactly("client_credentials", "urn:ietf:params:oauth:grant-type:jwt-bearer",
                        "urn:ietf:params:oauth:grant-type:token-exchange", DeviceAttestationGrant.GRANT_TYPE);
    }

    @Test
    @DisplayName("a grant registered in the wiring is primed for SnapStart, and priming expects its answer")
    void extraGrantIsPrimed() throws Exception {
        List<String> bodies = new ArrayList<>();
        for (SnapStartPriming.Event event : SnapStartPriming.events(application.grants())) {
            byte[] body = ApiGatewayEvents.read(new ByteArrayInputStream(event.json())).request().body();
            bodies.add(new String(body, StandardCharsets.UTF_8));
        }
        assertThat(bodies).anyMatch(body -> body.contains("device-attestation"));

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        SnapStartPriming priming = new SnapStartPriming(() -> new SnapStartPriming.Target(application, () -> { }),
                new PrintStream(log, true, StandardCharsets.UTF_8));
        assertThat(priming.prime()).containsExactly(200, 401, 400, 401, 400, 400);
        assertThat(JSON.readTree(log.toString(StandardCharsets.UTF_8)).get("level").asText()).isEqualTo("INFO");
    }

    @Test
    @DisplayName("openapi.yaml lists exactly the registered grant types and documents every parameter they read")
    void openApiMatchesTheGrants() throws Exception {
        Grants grants = TestApis.application(store).grants();
        JsonNode openapi = new ObjectMapper(new YAMLFactory()).readTree(Path.of("..", "openapi.yaml").toFile());
        JsonNode request = openapi.at("/components/schemas/TokenRequest/properties");

        assertThat(request.get("grant_type").get("enum")).extracting(JsonNode::asText)
                .containsExactlyElementsOf(grants.grantTypes());
        List<String> documented = new ArrayList<>();
        request.fieldNames().forEachRemaining(documented::add);
        assertThat(documented).containsAll(grants.parameters());
    }
}
