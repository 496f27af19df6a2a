package dev.tokenissuer.lambda;

import dev.tokenissuer.aws.AwsClients;
import dev.tokenissuer.config.IssuerConfig;
import dev.tokenissuer.grant.exchange.StsEndpoints;
import dev.tokenissuer.grant.exchange.TokenExchangeGrant;
import dev.tokenissuer.store.FederationRules;
import dev.tokenissuer.store.ReplayGuard;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;

/**
 * How the token exchange is built from the configuration: STS endpoints of {@code AWS_REGION}'s partition, or the
 * emulator alone when {@code AWS_ENDPOINT_URL} is set; plain HTTP to loopback OIDC issuers only when that endpoint
 * is itself on loopback (a local run); calls bounded as AWS calls are ({@code AWS_CALL_TIMEOUT_MILLIS}).
 */
final class FederationWiring {

    private FederationWiring() {
    }

    static TokenExchangeGrant tokenExchange(IssuerConfig config, FederationRules rules, ReplayGuard replayGuard,
                                            Clock clock) {
        // Its own URLConnection client: it holds no pool (the JDK's keep-alive cache is shared), so it costs nothing
        // beside the AWS one, and it follows no redirects.
        return new TokenExchangeGrant(rules, replayGuard,
                StsEndpoints.from(config.awsEndpoint(), System.getenv("AWS_REGION")),
                AwsClients.httpClient(config.awsCallTimeout()), config.awsCallTimeout(),
                config.awsEndpoint().map(FederationWiring::isLoopback).orElse(false), config.assertionClockSkew(),
                clock);
    }

    private static boolean isLoopback(URI endpoint) {
        try {
            return endpoint.getHost() != null && InetAddress.getByName(endpoint.getHost()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
