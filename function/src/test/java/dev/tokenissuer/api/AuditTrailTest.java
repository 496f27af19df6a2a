package dev.tokenissuer.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.tokenissuer.grant.JwtBearerGrant;
import dev.tokenissuer.grant.RefusalReason;
import dev.tokenissuer.http.Endpoints;
import dev.tokenissuer.http.HttpRequest;
import dev.tokenissuer.http.HttpResponse;
import dev.tokenissuer.http.RequestContext;
import dev.tokenissuer.observability.JsonLinesRequestLog;
import dev.tokenissuer.store.AllowedAccess;
import dev.tokenissuer.store.ClientSecretCredential;
import dev.tokenissuer.store.PublicKeyCredential;
import dev.tokenissuer.store.SecretHasher;
import dev.tokenissuer.store.ServiceUserState;
import dev.tokenissuer.testing.DpopProofMaker;
import dev.tokenissuer.testing.FakeCredentialStore;
import dev.tokenissuer.testing.LocalSigningKeys;
import dev.tokenissuer.testing.Requests;
import dev.tokenissuer.testing.TestApis;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.tokenissuer.testing.ClientAssertions.frontierClaims;
import static dev.tokenissuer.testing.ClientAssertions.frontierHeader;
import static dev.tokenissuer.testing.ClientAssertions.sign;
import static dev.tokenissuer.testing.TestCredentials.CLIENT_ID;
import static dev.tokenissuer.testing.TestCredentials.CLIENT_SECRET;
import static dev.tokenissuer.testing.TestCredentials.ORG_ID;
import static dev.tokenissuer.testing.TestCredentials.SERVICE_USER_ID;
import static dev.tokenissuer.testing.TestCredentials.basic;
import static org.assertj.core.api.Assertions.assertThat;

/** The audit trail an operator reads: one line per token request, what it says, and what it never says. */
class AuditTrailTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KID = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
    private static final String DISABLED_KID = "7d1b2c3d-0000-4000-8000-000000000004";
    private static final String DISABLED_CLIENT = "1a2b3c4d-0000-4000-8000-00000000d15a";
    private static final String DISABLED_SECRET = "disabled-users-own-secret-0123456789";
    private static final String UNKNOWN_CLIENT = "9f9f9f9f-0000-4000-8000-000000000999";
    private static final RSAKey RSA = rsa(KID);
    private static final RSAKey OTHER_RSA = rsa(KID);

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final FakeCredentialStore store = new FakeCredentialStore()
            .withDemoCredential(ServiceUserState.ENABLED)
            .with(DISABLED_CLIENT, DISABLED_SECRET, SERVICE_USER_ID, ORG_ID, ServiceUserState.DISABLED)
            .with(new PublicKeyCredential(KID, SERVICE_USER_ID, ORG_ID, ServiceUserState.ENABLED, RSA.toPublicJWK()))
            .with(new PublicKeyCredential(DISABLED_KID, SERVICE_USER_ID, ORG_ID, ServiceUserState.DISABLED,
                    RSA.toPublicJWK()));
    private final TokenIssuerApi api = TestApis.create(store, LocalSigningKeys.rsa(),
            new JsonLinesRequestLog(new PrintStream(out, true, StandardCharsets.UTF_8)));

    private static RSAKey rsa(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String assertion(String kid, RSAKey key, JWTClaimsSet.Builder claims) {
        return sign(frontierHeader(kid).build(), claims.build(), key);
    }

    private static JWTClaimsSet.Builder claims(String kid) {
        return frontierClaims(kid, SERVICE_USER_ID, Instant.now(), Duration.ofMinutes(5));
    }

    private static String form(Map<String, String> parameters) {
        List<String> pairs = new ArrayList<>();
        parameters.forEach((name, value) -> pairs.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return String.join("&", pairs);
    }

    private static HttpRequest secretRequest(String authorization, String body) {
        Requests request = Requests.post(Endpoints.TOKEN_PATH).form(body);
        return (authorization == null ? request : request.header("Authorization", authorization)).build();
    }

    private static HttpRequest assertionRequest(String assertion) {
        return Requests.post(Endpoints.TOKEN_PATH)
                .form(form(Map.of("grant_type", JwtBearerGrant.GRANT_TYPE, "assertion", assertion))).build();
    }

    /** A private_key_jwt client assertion, iss = sub = {@code serviceUser}, for the token endpoint on localhost. */
    private static String clientAssertion(String serviceUser) {
        Instant now = Instant.now();
        return sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(KID).build(), new JWTClaimsSet.Builder()
                .issuer(serviceUser).subject(serviceUser).audience("https://localhost" + Endpoints.TOKEN_PATH)
                .jwtID(UUID.randomUUID().toString()).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(60))).build(), RSA);
    }

    private static HttpRequest clientAssertionRequest(String clientAssertion, String dpopProof) {
        Requests request = Requests.post(Endpoints.TOKEN_PATH).header("Host", "localhost").form(form(Map.of(
                "grant_type", "client_credentials",
                "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion", clientAssertion)));
        return (dpopProof == null ? request : request.header("DPoP", dpopProof)).build();
    }

    private List<JsonNode> lines() throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).lines().toList()) {
            lines.add(JSON.readTree(line));
        }
        return lines;
    }

    private List<JsonNode> auditLines() throws Exception {
        return lines().stream().filter(line -> "token_request".equals(line.path("event").asText())).toList();
    }

    @Test
    @DisplayName("an issued token's audit line names the scope and the audience it grants, and none when it grants none")
    void grantedAccessLine() throws Exception {
        FakeCredentialStore scoped = new FakeCredentialStore().with(new ClientSecretCredential(CLIENT_ID,
                SERVICE_USER_ID, ORG_ID, ServiceUserState.ENABLED, SecretHasher.hash(CLIENT_SECRET),
                new AllowedAccess(List.of("orders:read", "orders:write"), List.of("https://orders.example.com"))));
        TokenIssuerApi scopedApi = TestApis.create(scoped, LocalSigningKeys.rsa(),
                new JsonLinesRequestLog(new PrintStream(out, true, StandardCharsets.UTF_8)));

        scopedApi.handle(secretRequest(basic(CLIENT_ID, CLIENT_SECRET),
                "grant_type=client_credentials&scope=orders%3Aread&resource=https%3A%2F%2Forders.example.com"));
        api.handle(secretRequest(basic(CLIENT_ID, CLIENT_SECRET), "grant_type=client_credentials"));

        List<JsonNode> audit = auditLines();
        assertThat(audit.get(0).get("scope").asText()).isEqualTo("orders:read");
        assertThat(audit.get(0).get("aud").toString()).isEqualTo("[\"https://orders.example.com\"]");
        assertThat(audit.get(1).has("scope")).isFalse();
        assertThat(audit.get(1).has("aud")).isFalse();
    }

    @Test
    @DisplayName("an issued token's audit line names the request ids, grant, client, service user, org, jti and exp")
    void issuedTokenLine() throws Exception {
        HttpRequest request = secretRequest(basic(CLIENT_ID, CLIENT_SECRET), "grant_type=client_credentials")
                .withContext(new RequestContext("api-req-1", "lambda-req-1", "203.0.113.9", "curl/8.5.0"));

        HttpResponse response = api.handle(request);

        JsonNode token = JSON.readTree(Base64.getUrlDecoder().decode(
                JSON.readTree(response.body()).get("access_token").asText().split("\\.")[1]));
        List<JsonNode> audit = auditLines();
        assertThat(audit).hasSize(1);
        JsonNode line = audit.get(0);
        assertThat(line.get("api_request_id").asText()).isEqualTo("api-req-1");
        assertThat(line.get("lambda_request_id").asText()).isEqualTo("lambda-req-1");
        assertThat(line.get("grant_type").asText()).isEqualTo("client_credentials");
        assertThat(line.get("client_id").asText()).isEqualTo(CLIENT_ID);
        assertThat(line.get("service_user_id").asText()).isEqualTo(SERVICE_USER_ID);
        assertThat(line.get("org_id").asText()).isEqualTo(ORG_ID);
        assertThat(line.get("outcome").asText()).isEqualTo("issued");
        assertThat(line.has("reason")).isFalse();
        assertThat(line.get("status").asInt()).isEqualTo(200);
        assertThat(line.get("jti").asText()).isEqualTo(token.get("jti").asText());
        assertThat(line.get("exp").asLong()).isEqualTo(token.get("exp").asLong());
        assertThat(line.get("source_ip").asText()).isEqualTo("203.0.113.9");
        assertThat(line.get("user_agent").asText()).isEqualTo("curl/8.5.0");
        assertThat(line.get("level").asText()).isEqualTo("INFO");
        assertThat(Instant.parse(line.get("timestamp").asText())).isBefore(Instant.now().plusSeconds(1));
        assertThat(line.has("latency_ms")).isTrue();
    }

    @Test
    @DisplayName("an unknown client and a wrong secret get the same answer, and different reasons in the audit line")
    void unknownClientAndBadSecretDifferOnlyInTheLog() throws Exception {
        HttpResponse unknown = api.handle(secretRequest(basic(UNKNOWN_CLIENT, CLIENT_SECRET),
                "grant_type=client_credentials"));
        HttpResponse wrong = api.handle(secretRequest(basic(CLIENT_ID, "not-the-secret"),
                "grant_type=client_credentials"));

        assertThat(unknown.status()).isEqualTo(wrong.status()).isEqualTo(401);
        assertThat(unknown.body()).isEqualTo(wrong.body());
        List<JsonNode> audit = auditLines();
        assertThat(audit).extracting(line -> line.get("reason").asText())
                .containsExactly(RefusalReason.UNKNOWN_CLIENT.code(), RefusalReason.BAD_SECRET.code());
        assertThat(audit).extracting(line -> line.get("client_id").asText()).containsExactly(UNKNOWN_CLIENT, CLIENT_ID);
        assertThat(audit).allSatisfy(line -> assertThat(line.get("outcome").asText()).isEqualTo("refused"));
    }

    @Test
    @DisplayName("a refused assertion's audit line names its kid and the rule it failed")
    void refusedAssertionLine() throws Exception {
        JWTClaimsSet.Builder expired = claims(KID)
                .issueTime(Date.from(Instant.now().minusSeconds(900)))
                .notBeforeTime(Date.from(Instant.now().minusSeconds(900)))
                .expirationTime(Date.from(Instant.now().minusSeconds(600)));
        api.handle(assertionRequest(assertion(KID, RSA, expired)));

        JsonNode line = auditLines().get(0);
        assertThat(line.get("grant_type").asText()).isEqualTo(JwtBearerGrant.GRANT_TYPE);
        assertThat(line.get("kid").asText()).isEqualTo(KID);
        assertThat(line.get("reason").asText()).isEqualTo("assertion_expired");
        assertThat(line.has("client_id")).isFalse();
    }

    @Test
    @DisplayName("a forged client assertion naming a real kid is logged with that kid, private_key_jwt and bad_signature")
    void forgedClientAssertionLine() throws Exception {
        String forged = sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(KID).build(),
                JWTClaimsSet.parse(com.nimbusds.jwt.SignedJWT.parse(clientAssertion(SERVICE_USER_ID))
                        .getJWTClaimsSet().toJSONObject()), OTHER_RSA);

        api.handle(clientAssertionRequest(forged, null));
        api.handle(clientAssertionRequest(clientAssertion(SERVICE_USER_ID), null));

        List<JsonNode> audit = auditLines();
        assertThat(audit.get(0).get("client_auth").asText()).isEqualTo("private_key_jwt");
        assertThat(audit.get(0).get("client_kid").asText()).isEqualTo(KID);
        assertThat(audit.get(0).get("reason").asText()).isEqualTo("bad_signature");
        assertThat(audit.get(0).has("kid")).isFalse();
        assertThat(audit.get(1).get("client_auth").asText()).isEqualTo("private_key_jwt");
        assertThat(audit.get(1).get("client_kid").asText()).isEqualTo(KID);
        assertThat(audit.get(1).get("outcome").asText()).isEqualTo("issued");
    }

    /** A client assertion for the service user, with this header, signed by {@code key}. */
    private static String clientAssertion(JWSHeader header, com.nimbusds.jose.jwk.JWK key) throws Exception {
        JWTClaimsSet claims = com.nimbusds.jwt.SignedJWT.parse(clientAssertion(SERVICE_USER_ID)).getJWTClaimsSet();
        return sign(header, new JWTClaimsSet.Builder(claims).jwtID(UUID.randomUUID().toString()).build(), key);
    }

    @Test
    @DisplayName("private_key_jwt answers an unknown kid, an algorithm that does not fit the key and a bad signature alike; the log tells them apart")
    void keyDependentRefusalsReadTheSame() throws Exception {
        ECKey ec = DpopProofMaker.newKey();
        HttpResponse unknownKey = api.handle(clientAssertionRequest(clientAssertion(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(UNKNOWN_CLIENT).build(), RSA), null));
        HttpResponse badSignature = api.handle(clientAssertionRequest(clientAssertion(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(KID).build(), OTHER_RSA), null));
        HttpResponse wrongAlgorithm = api.handle(clientAssertionRequest(clientAssertion(
                new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(KID).build(), ec), null));

        assertThat(unknownKey.status()).isEqualTo(badSignature.status()).isEqualTo(wrongAlgorithm.status())
                .isEqualTo(401);
        assertThat(unknownKey.body()).isEqualTo(badSignature.body()).isEqualTo(wrongAlgorithm.body());
        assertThat(JSON.readTree(unknownKey.body()).get("error_description").asText())
                .isEqualTo("assertion is not signed by a registered key");
        assertThat(auditLines()).extracting(line -> line.get("reason").asText())
                .containsExactly("unknown_key", "bad_signature", "assertion_algorithm");
    }

    @Test
    @DisplayName("the audit line names the client authentication method: basic, post, private_key_jwt, or none")
    void clientAuthenticationMethod() throws Exception {
        api.handle(secretRequest(basic(CLIENT_ID, CLIENT_SECRET), "grant_type=client_credentials"));
        api.handle(secretRequest(null, form(Map.of("grant_type", "client_credentials", "client_id", CLIENT_ID,
                "client_secret", "wrong"))));
        api.handle(clientAssertionRequest(clientAssertion(SERVICE_USER_ID), null));
        api.handle(assertionRequest(assertion(KID, RSA, claims(KID))));
        api.handle(secretRequest(null, "grant_type=client_credentials"));

        assertThat(auditLines()).extracting(line -> line.get("client_auth").asText()).containsExactly(
                "client_secret_basic", "client_secret_post", "private_key_jwt", "none", "none");
        assertThat(auditLines()).extracting(line -> line.get("outcome").asText()).containsExactly(
                "issued", "refused", "issued", "issued", "refused");
    }

    @Test
    @DisplayName("a jwt-bearer request that authenticates its client names both: the client id and the assertion's kid")
    void jwtBearerWithClientAuthentication() throws Exception {
        String assertion = assertion(KID, RSA, claims(KID));
        api.handle(Requests.post(Endpoints.TOKEN_PATH).header("Authorization", basic(CLIENT_ID, "wrong"))
                .form(form(Map.of("grant_type", JwtBearerGrant.GRANT_TYPE, "assertion", assertion))).build());

        JsonNode line = auditLines().get(0);
        assertThat(line.get("client_auth").asText()).isEqualTo("client_secret_basic");
        assertThat(line.get("client_id").asText()).isEqualTo(CLIENT_ID);
        assertThat(line.get("kid").asText()).isEqualTo(KID);
        assertThat(line.get("reason").asText()).isEqualTo("bad_secret");
    }

    @Test
    @DisplayName("a DPoP request's line names the key's thumbprint (jkt), issued or refused; a bearer request's none")
    void dpopBinding() throws Exception {
        ECKey holder = DpopProofMaker.newKey();
        String jkt = holder.toPublicJWK().computeThumbprint().toString();
        String endpoint = "https://localhost" + Endpoints.TOKEN_PATH;

        api.handle(clientAssertionRequest(clientAssertion(SERVICE_USER_ID), DpopProofMaker.proof(holder, endpoint)));
        api.handle(clientAssertionRequest(clientAssertion(UNKNOWN_CLIENT), DpopProofMaker.proof(holder, endpoint)));
        api.handle(clientAssertionRequest(clientAssertion(SERVICE_USER_ID),
                DpopProofMaker.proof(holder, "https://other.example" + Endpoints.TOKEN_PATH)));
        api.handle(clientAssertionRequest(clientAssertion(SERVICE_USER_ID), "bnVsbA.e30.c2ln"));
        api.handle(clientAssertionRequest(clientAssertion(SERVICE_USER_ID), null));

        List<JsonNode> audit = auditLines();
        assertThat(audit).extracting(line -> line.get("outcome").asText())
                .containsExactly("issued", "refused", "refused", "refused", "issued");
        assertThat(audit.subList(0, 3)).allSatisfy(line -> assertThat(line.get("jkt").asText()).isEqualTo(jkt));
        assertThat(audit.get(3).has("jkt")).isFalse();
        assertThat(audit.get(3).get("reason").asText()).isEqualTo("dpop_proof_invalid");
        assertThat(audit.get(4).has("jkt")).isFalse();
    }

    @Test
    @DisplayName("no secret, assertion, token or Authorization header reaches the log, on any refusal path or success")
    void neverLogsCredentials() throws Exception {
        String replayed = assertion(KID, RSA, claims(KID));
        Map<String, HttpRequest> requests = new LinkedHashMap<>();
        requests.put("issued", secretRequest(basic(CLIENT_ID, CLIENT_SECRET), "grant_type=client_credentials"));
        requests.put("bad secret", secretRequest(basic(CLIENT_ID, CLIENT_SECRET + "x"), "grant_type=client_credentials"));
        requests.put("unknown client", secretRequest(basic(UNKNOWN_CLIENT, CLIENT_SECRET),
                "grant_type=client_credentials"));
        requests.put("user disabled", secretRequest(basic(DISABLED_CLIENT, DISABLED_SECRET),
                "grant_type=client_credentials"));
        requests.put("secret in the body", secretRequest(null, form(Map.of("grant_type", "client_credentials",
                "client_id", CLIENT_ID, "client_secret", CLIENT_SECRET + "y"))));
        requests.put("secret twice", secretRequest(basic(CLIENT_ID, CLIENT_SECRET),
                "grant_type=client_credentials&client_secret=" + CLIENT_SECRET));
        requests.put("no client id", secretRequest(null, form(Map.of("grant_type", "client_credentials",
                "client_secret", CLIENT_SECRET))));
        requests.put("secret as client id", secretRequest(null, form(Map.of("grant_type", "client_credentials",
                "client_id", CLIENT_SECRET, "client_secret", CLIENT_SECRET))));
        requests.put("unsupported grant", secretRequest(basic(CLIENT_ID, CLIENT_SECRET), "grant_type=" + CLIENT_SECRET));
        requests.put("digest scheme", secretRequest("Digest " + CLIENT_SECRET, "grant_type=client_credentials"));
        requests.put("bearer with client_credentials", secretRequest("Bearer " + replayed,
                "grant_type=client_credentials"));
        requests.put("malformed form", secretRequest(basic(CLIENT_ID, CLIENT_SECRET), "grant_type=%zz&a=" + CLIENT_SECRET));
        requests.put("first use", assertionRequest(replayed));
        requests.put("replayed", assertionRequest(replayed));
        requests.put("bad signature", assertionRequest(assertion(KID, OTHER_RSA, claims(KID))));
        requests.put("unknown key", assertionRequest(assertion(UNKNOWN_CLIENT, RSA, claims(UNKNOWN_CLIENT))));
        requests.put("disabled key", assertionRequest(assertion(DISABLED_KID, RSA, claims(DISABLED_KID))));
        requests.put("not a JWT", assertionRequest(CLIENT_SECRET));
        requests.put("bearer assertion", Requests.post(Endpoints.TOKEN_PATH)
                .header("Authorization", "Bearer " + assertion(KID, RSA, claims(KID)))
                .form("grant_type=" + URLEncoder.encode(JwtBearerGrant.GRANT_TYPE, StandardCharsets.UTF_8)).build());
        String clientAssertion = clientAssertion(SERVICE_USER_ID);
        requests.put("private_key_jwt", clientAssertionRequest(clientAssertion, null));
        requests.put("private_key_jwt replayed", clientAssertionRequest(clientAssertion, null));
        requests.put("private_key_jwt wrong issuer", clientAssertionRequest(clientAssertion(UNKNOWN_CLIENT), null));
        requests.put("private_key_jwt with a secret", secretRequest(null, form(Map.of("grant_type",
                "client_credentials", "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion", clientAssertion(SERVICE_USER_ID), "client_secret", CLIENT_SECRET))));
        ECKey holder = DpopProofMaker.newKey();
        String proof = DpopProofMaker.proof(holder, "https://localhost" + Endpoints.TOKEN_PATH);
        requests.put("dpop bound", clientAssertionRequest(clientAssertion(SERVICE_USER_ID), proof));
        requests.put("dpop replayed", clientAssertionRequest(clientAssertion(SERVICE_USER_ID), proof));
        requests.put("dpop for another url", clientAssertionRequest(clientAssertion(SERVICE_USER_ID),
                DpopProofMaker.proof(holder, "https://other.example" + Endpoints.TOKEN_PATH)));
        requests.put("dependency down", null);

        List<String> secrets = new ArrayList<>(List.of(CLIENT_SECRET, DISABLED_SECRET, "ZXZlbnRzLWRlbW8t"));
        List<String> statuses = new ArrayList<>();
        for (Map.Entry<String, HttpRequest> entry : requests.entrySet()) {
            HttpRequest request = entry.getValue();
            if (request == null) {
                TokenIssuerApi failing = TestApis.create(new FakeCredentialStore().failingWith(
                        new IllegalStateException("store failed reading " + CLIENT_SECRET)), LocalSigningKeys.rsa(),
                        new JsonLinesRequestLog(new PrintStream(out, true, StandardCharsets.UTF_8)));
                request = secretRequest(basic(CLIENT_ID, CLIENT_SECRET), "grant_type=client_credentials");
                statuses.add(entry.getKey() + " " + failing.handle(request).status());
            } else {
                HttpResponse response = api.handle(request);
                statuses.add(entry.getKey() + " " + response.status());
                if (response.status() == 200) {
                    secrets.add(JSON.readTree(response.body()).get("access_token").asText());
                }
            }
            request.header("Authorization").ifPresent(value -> secrets.add(value.substring(value.indexOf(' ') + 1)));
            request.header("Authorization").ifPresent(secrets::add);
            request.header("DPoP").ifPresent(secrets::add);
            String body = new String(request.body(), StandardCharsets.UTF_8);
            for (String pair : body.split("&")) {
                String value = pair.substring(pair.indexOf('=') + 1);
                if (!value.contains("%")) {
                    value = java.net.URLDecoder.decode(value, StandardCharsets.UTF_8);
                }
                if (value.split("\\.").length == 3) {
                    secrets.add(value);
                }
            }
        }
        // Every JWT sent or issued, whole and by part: a header alone is public, but payloads and signatures are not.
        List<String> parts = new ArrayList<>();
        for (String secret : secrets) {
            String[] split = secret.split("\\.");
            if (split.length == 3) {
                parts.add(split[1]);
                parts.add(split[2]);
            }
        }
        secrets.addAll(parts);

        String logged = out.toString(StandardCharsets.UTF_8);
        assertThat(statuses).contains("issued 200", "first use 200", "replayed 401", "dependency down 500",
                "private_key_jwt 200", "private_key_jwt replayed 401", "private_key_jwt with a secret 400",
                "dpop bound 200", "dpop replayed 400", "dpop for another url 400");
        assertThat(auditLines()).hasSize(requests.size());
        for (String secret : secrets) {
            assertThat(logged).as("the log, for a value sent or issued").doesNotContain(secret);
        }
    }
}
