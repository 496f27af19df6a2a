package dev.tokenissuer.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tokenissuer.api.RequestLog;
import dev.tokenissuer.config.IssuerConfig;
import dev.tokenissuer.grant.exchange.TokenExchangeGrant;
import dev.tokenissuer.http.Endpoints;
import dev.tokenissuer.http.HttpResponse;
import dev.tokenissuer.lambda.TokenIssuerApplication;
import dev.tokenissuer.store.FederationRules;
import dev.tokenissuer.store.ReplayGuard;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The API wired with a token exchange over given trust rules and replay records, with {@code AWS_ENDPOINT_URL} set
 * to {@code stsEndpoint} (the only STS it may call, and the switch that allows loopback HTTP issuers), recording what
 * the audit line would say of each request.
 */
public final class ExchangeHarness {

    private static final ObjectMapper JSON = new ObjectMapper();

    public final List<RequestLog.Exchange> log = new ArrayList<>();
    private final TokenIssuerApplication.Application application;

    public ExchangeHarness(URI stsEndpoint, FederationRules rules, ReplayGuard replayGuard, Clock clock) {
        Map<String, String> env = new HashMap<>(Map.of(
                "TOKEN_ISSUER", TestApis.ISSUER,
                "TOKEN_TTL_SECONDS", Long.toString(TestApis.TTL.toSeconds()),
                "AWS_ENDPOINT_URL", stsEndpoint.toString(),
                "AWS_CALL_TIMEOUT_MILLIS", "1500"));
        IssuerConfig config = IssuerConfig.from(env);
        this.application = TokenIssuerApplication.wire(config, new TokenIssuerApplication.Backends(
                new FakeCredentialStore(), replayGuard, LocalSigningKeys.rsa(), clock, rules), log::add);
    }

    public HttpResponse exchange(String subjectTokenType, String subjectToken, String... extra) {
        StringBuilder form = new StringBuilder("grant_type=" + enc(TokenExchangeGrant.GRANT_TYPE)
                + "&subject_token_type=" + enc(subjectTokenType) + "&subject_token=" + enc(subjectToken));
        for (int i = 0; i + 1 < extra.length; i += 2) {
            form.append('&').append(enc(extra[i])).append('=').append(enc(extra[i + 1]));
        }
        return application.api().handle(Requests.post(Endpoints.TOKEN_PATH).form(form.toString()).build());
    }

    /** The reason code the last request's audit line carries; "-" when it was granted. */
    public String lastReason() {
        return log.get(log.size() - 1).failure().map(f -> f.reason().code()).orElse("-");
    }

    public static JsonNode body(HttpResponse response) {
        try {
            return JSON.readTree(response.body());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static JWTClaimsSet claims(HttpResponse response) {
        try {
            return SignedJWT.parse(body(response).get("access_token").asText()).getJWTClaimsSet();
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
