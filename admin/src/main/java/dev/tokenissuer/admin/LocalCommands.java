package dev.tokenissuer.admin;

import dev.tokenissuer.lambda.TokenIssuerHandler;
import dev.tokenissuer.local.LocalServer;
import dev.tokenissuer.signing.SigningKeySpec;

import java.util.Map;

/** What {@code tokenctl bootstrap} and {@code tokenctl serve} do: run the service locally or against an emulator. */
final class LocalCommands {

    private LocalCommands() {
    }

    /**
     * Creates what is missing, then signs and verifies a test value with the signing key: an endpoint that cannot sign
     * tokens verifiably is refused here, before a token is issued (the key and table stay; a second run is safe).
     */
    static Map<String, Object> bootstrap(AdminContext context, SigningKeySpec spec) {
        Map<String, Object> result = new Bootstrap(context.dynamo(), context.kms())
                .run(context.config().tableName(), context.config().signingKeyId(), spec);
        KmsSignatureCheck.verify(context.kms(), context.config().signingKeyId(), context.config().awsEndpoint());
        return result;
    }

    /**
     * Checks first that the endpoint's signatures verify (see {@link KmsSignatureCheck}), then serves the Lambda handler
     * over HTTP (local-server/) until the JVM shuts down.
     */
    static void serve(AdminContext context, String host, int port) throws Exception {
        KmsSignatureCheck.verify(context.kms(), context.config().signingKeyId(), context.config().awsEndpoint());
        LocalServer.serveUntilShutdown(new TokenIssuerHandler(), host, port,
                url -> context.err().println("tokenctl: serving " + url + " (Ctrl-C stops)"));
    }
}
