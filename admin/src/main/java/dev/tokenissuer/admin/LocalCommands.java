package dev.tokenissuer.admin;

import dev.tokenissuer.lambda.TokenIssuerHandler;
import dev.tokenissuer.token.SigningKeySpec;

import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** What {@code tokenctl bootstrap} and {@code tokenctl serve} do: run the service locally or against an emulator. */
final class LocalCommands {

    private LocalCommands() {
    }

    static Map<String, Object> bootstrap(AdminContext context, SigningKeySpec spec) {
        return new Bootstrap(context.dynamo(), context.kms())
                .run(context.config().tableName(), context.config().signingKeyId(), spec);
    }

    /** Serves until the JVM shuts down (Ctrl-C, SIGTERM), which ends the process: this thread only waits for it. */
    static void serve(AdminContext context, String host, int port) throws Exception {
        LocalServer server = new LocalServer(new TokenIssuerHandler(), host, port);
        server.start();
        context.err().println("tokenctl: serving http://" + host + ":" + server.port() + " (Ctrl-C stops)");
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        new CountDownLatch(1).await();
    }
}
