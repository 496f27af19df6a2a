package dev.tokenissuer.grant.exchange;

import dev.tokenissuer.http.HttpResponse;
import dev.tokenissuer.store.AllowedAccess;
import dev.tokenissuer.store.AwsTrustItem;
import dev.tokenissuer.store.DynamoFederationRules;
import dev.tokenissuer.store.DynamoReplayGuard;
import dev.tokenissuer.store.ServiceUserState;
import dev.tokenissuer.testing.AwsEmulator;
import dev.tokenissuer.testing.AwsIdentities;
import dev.tokenissuer.testing.ExchangeHarness;
import dev.tokenissuer.testing.InMemoryReplayGuard;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.tokenissuer.grant.exchange.TokenExchangeGrant.AWS4_REQUEST;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The AWS subject end to end against the emulator's IAM and STS: a role created, assumed, its session's credentials
 * sign GetCallerIdentity with the SDK's signer, the API forwards it to the emulator's STS, maps the caller by a rule
 * in the table, records the signature in the table, and issues.
 */
class AwsTokenExchangeIT {

    private static final String AUDIENCE = "x-token-issuer-audience";
    private static DynamoDbClient dynamo;
    private static String table;
    private static URI sts;
    private static ExchangeHarness api;

    @BeforeAll
    static void start() {
        sts = AwsEmulator.endpoint();
        dynamo = AwsEmulator.dynamo();
        table = AwsEmulator.newTable(dynamo);
        api = new ExchangeHarness(sts, new DynamoFederationRules(dynamo, table),
                new DynamoReplayGuard(dynamo, table, Clock.systemUTC()), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        dynamo.deleteTable(r -> r.tableName(table));
        dynamo.close();
    }

    private static String trust(String principalArn, ServiceUserState state) {
        String serviceUser = UUID.randomUUID().toString();
        dynamo.putItem(r -> r.tableName(table).item(new AwsTrustItem(principalArn, UUID.randomUUID().toString(),
                serviceUser, "org-1", state, "ci role", "2026-12-07T00:00:00Z",
                new AllowedAccess(List.of("deploy", "read"), List.of())).toItem()));
        return serviceUser;
    }

    private static String signed(AwsIdentities.Credentials credentials) {
        return AwsIdentities.subjectToken(credentials, sts, Map.of(AUDIENCE, "token-issuer-test"), Clock.systemUTC());
    }

    private static AwsIdentities.Credentials newRoleSession(String path) {
        String name = "role-" + UUID.randomUUID().toString().substring(0, 8);
        String roleArn = AwsIdentities.createRole(name, path);
        return AwsIdentities.assumeRole(roleArn, "build-4711");
    }

    private static String roleArnOf(AwsIdentities.Credentials session) {
        return CallerArn.of(session.arn()).orElseThrow().principal();
    }

    @Test
    @DisplayName("exchanges a role session's signed GetCallerIdentity for a token of the role's service user")
    void roleSession() {
        AwsIdentities.Credentials session = newRoleSession("/ci/");
        String serviceUser = trust(roleArnOf(session), ServiceUserState.ENABLED);

        HttpResponse response = api.exchange(AWS4_REQUEST, signed(session), "scope", "deploy");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(ExchangeHarness.body(response).get("issued_token_type").asText())
                .isEqualTo("urn:ietf:params:oauth:token-type:access_token");
        var claims = ExchangeHarness.claims(response);
        assertThat(claims.getSubject()).isEqualTo(serviceUser);
        assertThat(claims.getClaim("auth_via")).isEqualTo("token_exchange_aws");
        assertThat(claims.getClaim("client_id")).isEqualTo(session.arn());
        assertThat((String) claims.getClaim("client_id")).endsWith("/build-4711");
        assertThat(claims.getClaim("scope")).isEqualTo("deploy");
    }

    @Test
    @DisplayName("an IAM user's key maps by the user's ARN")
    void iamUser() {
        AwsIdentities.Credentials user = AwsIdentities.createUser("deployer-" + UUID.randomUUID().toString()
                .substring(0, 8));
        String serviceUser = trust(user.arn(), ServiceUserState.ENABLED);

        HttpResponse response = api.exchange(AWS4_REQUEST, signed(user));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(ExchangeHarness.claims(response).getSubject()).isEqualTo(serviceUser);
        assertThat(ExchangeHarness.claims(response).getClaim("client_id")).isEqualTo(user.arn());
    }

    @Test
    @DisplayName("accepts a signed request once: the same signature again is refused")
    void replay() {
        AwsIdentities.Credentials session = newRoleSession("/");
        trust(roleArnOf(session), ServiceUserState.ENABLED);
        String token = signed(session);

        assertThat(api.exchange(AWS4_REQUEST, token).status()).isEqualTo(200);
        HttpResponse again = api.exchange(AWS4_REQUEST, token);

        assertThat(again.status()).isEqualTo(400);
        assertThat(ExchangeHarness.body(again).get("error").asText()).isEqualTo("invalid_request");
        assertThat(api.lastReason()).isEqualTo("aws_signature_replayed");
    }

    @Test
    @DisplayName("a refused exchange spends nothing: without a rule it is refused, and once the rule exists the same request works")
    void refusedSpendsNothing() {
        AwsIdentities.Credentials session = newRoleSession("/");
        String token = signed(session);

        HttpResponse refused = api.exchange(AWS4_REQUEST, token);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(ExchangeHarness.body(refused).get("error_description").asText())
                .isEqualTo(ExchangeRefusals.NOT_ACCEPTED);
        assertThat(api.lastReason()).isEqualTo("no_matching_rule");

        trust(roleArnOf(session), ServiceUserState.ENABLED);
        assertThat(api.exchange(AWS4_REQUEST, token).status()).isEqualTo(200);
    }

    @Test
    @DisplayName("a disabled service user refuses its federated identities, with the same answer as no rule")
    void disabledServiceUser() {
        AwsIdentities.Credentials session = newRoleSession("/");
        trust(roleArnOf(session), ServiceUserState.DISABLED);

        HttpResponse response = api.exchange(AWS4_REQUEST, signed(session));

        assertThat(response.status()).isEqualTo(400);
        assertThat(ExchangeHarness.body(response).get("error_description").asText())
                .isEqualTo(ExchangeRefusals.NOT_ACCEPTED);
        assertThat(api.lastReason()).isEqualTo("user_disabled");
    }

    @Test
    @DisplayName("a scope the rule's service user may not have is invalid_scope, and spends nothing")
    void scopeNotAllowed() {
        AwsIdentities.Credentials session = newRoleSession("/");
        trust(roleArnOf(session), ServiceUserState.ENABLED);
        String token = signed(session);

        assertThat(api.exchange(AWS4_REQUEST, token, "scope", "admin").status()).isEqualTo(400);
        assertThat(api.lastReason()).isEqualTo("invalid_scope");
        assertThat(api.exchange(AWS4_REQUEST, token, "scope", "read").status()).isEqualTo(200);
    }

    @Test
    @DisplayName("a request signed for another service (audience header of another value) is refused before STS is called")
    void wrongAudience() {
        AwsIdentities.Credentials session = newRoleSession("/");
        trust(roleArnOf(session), ServiceUserState.ENABLED);
        String token = AwsIdentities.subjectToken(session, sts, Map.of(AUDIENCE, "https://vault.example.com"),
                Clock.systemUTC());

        assertThat(api.exchange(AWS4_REQUEST, token).status()).isEqualTo(400);
        assertThat(api.lastReason()).isEqualTo("aws_wrong_audience");
    }

    @Test
    @DisplayName("a request without the audience header signed is refused")
    void audienceNotSigned() {
        AwsIdentities.Credentials session = newRoleSession("/");
        String token = AwsIdentities.subjectToken(session, sts, Map.of(), Clock.systemUTC());

        assertThat(api.exchange(AWS4_REQUEST, token).status()).isEqualTo(400);
        assertThat(api.lastReason()).isEqualTo("aws_header_not_signed");
    }

    @Test
    @DisplayName("a request signed 16 minutes ago is refused as expired")
    void expiredDate() {
        AwsIdentities.Credentials session = newRoleSession("/");
        trust(roleArnOf(session), ServiceUserState.ENABLED);
        String token = AwsIdentities.subjectToken(session, sts, Map.of(AUDIENCE, "token-issuer-test"),
                Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-16)));

        assertThat(api.exchange(AWS4_REQUEST, token).status()).isEqualTo(400);
        assertThat(api.lastReason()).isEqualTo("aws_date_expired");
    }

    @Test
    @DisplayName("a request to a URL other than our STS endpoints is never sent: it is refused")
    void otherUrl() {
        AwsIdentities.Credentials session = newRoleSession("/");
        String token = AwsIdentities.subjectToken(session, URI.create("https://sts.attacker.example"),
                Map.of(AUDIENCE, "token-issuer-test"), Clock.systemUTC());

        assertThat(api.exchange(AWS4_REQUEST, token).status()).isEqualTo(400);
        assertThat(api.lastReason()).isEqualTo("aws_url_not_sts");
    }

    @Test
    @DisplayName("a request that is not signed at all is refused")
    void unsigned() {
        String json = AwsIdentities.json(sts + "/?Action=GetCallerIdentity&Version=2011-06-15", "POST",
                List.of(Map.entry("host", sts.getRawAuthority()), Map.entry(AUDIENCE, "token-issuer-test"),
                        Map.entry("x-amz-date", "20261207T000000Z")), null);

        assertThat(api.exchange(AWS4_REQUEST, json).status()).isEqualTo(400);
        assertThat(api.lastReason()).isEqualTo("aws_request_unsigned");
    }

    @Test
    @DisplayName("a request signed with a wrong secret is refused by STS (the emulator checks SigV4 as STS does), and spends nothing")
    void wrongSecret() {
        AwsIdentities.Credentials session = newRoleSession("/");
        trust(roleArnOf(session), ServiceUserState.ENABLED);
        AwsIdentities.Credentials forged = new AwsIdentities.Credentials(session.accessKeyId(),
                "x".repeat(40), session.sessionToken(), session.arn());

        HttpResponse response = api.exchange(AWS4_REQUEST, signed(forged));

        assertThat(response.status()).isEqualTo(400);
        assertThat(ExchangeHarness.body(response).get("error_description").asText())
                .isEqualTo(ExchangeRefusals.NOT_ACCEPTED);
        assertThat(api.lastReason()).isEqualTo("aws_signature_invalid");
        assertThat(api.exchange(AWS4_REQUEST, signed(session)).status()).isEqualTo(200);
    }

    @Test
    @DisplayName("STS unreachable is a 503 and spends nothing")
    void stsUnreachable() throws Exception {
        URI dead;
        try (ServerSocket socket = new ServerSocket(0)) {
            dead = URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
        InMemoryReplayGuard replays = new InMemoryReplayGuard();
        ExchangeHarness offline = new ExchangeHarness(dead, new DynamoFederationRules(dynamo, table), replays,
                Clock.systemUTC());
        AwsIdentities.Credentials session = newRoleSession("/");
        trust(roleArnOf(session), ServiceUserState.ENABLED);
        String token = AwsIdentities.subjectToken(session, dead, Map.of(AUDIENCE, "token-issuer-test"),
                Clock.systemUTC());

        HttpResponse response = offline.exchange(AWS4_REQUEST, token);

        assertThat(response.status()).isEqualTo(503);
        assertThat(offline.log.get(0).failure().orElseThrow().dependency()).hasValueSatisfying(
                dependency -> assertThat(dependency.dimensionValue()).isEqualTo("STS"));
        assertThat(replays.attempts()).isEmpty();
    }
}
