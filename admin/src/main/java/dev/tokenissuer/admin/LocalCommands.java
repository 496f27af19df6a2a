package dev.tokenissuer.admin;

import dev.tokenissuer.lambda.TokenIssuerHandler;
import dev.tokenissuer.token.SigningKeySpec;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** {@code tokenctl bootstrap} and {@code tokenctl serve}: running the service locally or against an emulator. */
final class LocalCommands {

    private LocalCommands() {
    }

    static List<Command> all() {
        return List.of(
                Command.of("bootstrap", "bootstrap [--key-spec SPEC]",
                        "Create the table and the KMS signing key (SPEC one of " + SigningKeySpec.names()
                                + "; default " + SigningKeySpec.DEFAULT.kmsKeySpec() + ") with its alias when "
                                + "missing, and record the key in the verification set (for local use; idempotent).", Set.of("key-spec"), (args, context) -> {
                            args.none();
                            SigningKeySpec spec = args.option("key-spec")
                                    .map(value -> SigningKeyCommands.keySpec("key-spec", value))
                                    .orElse(SigningKeySpec.DEFAULT);
                            return new Bootstrap(context.dynamo(), context.kms())
                                    .run(context.config().tableName(), context.config().signingKeyId(), spec);
                        }),
                Command.of("serve", "serve [--host HOST] [--port PORT]",
                        "Serve the API over HTTP through the Lambda handler, as API Gateway would (default "
                                + "127.0.0.1:7400, or $PORT).", Set.of("host", "port"), (args, context) -> {
                            args.none();
                            serve(context, args.option("host").orElse("127.0.0.1"),
                                    Integer.parseInt(args.option("port").orElse(context.env().getOrDefault("PORT",
                                            "7400"))));
                            return Command.KEEP_RUNNING;
                        }));
    }

    private static void serve(AdminContext context, String host, int port) throws Exception {
        LocalServer server = new LocalServer(new TokenIssuerHandler(), host, port);
        server.start();
        context.err().println("tokenctl: serving http://" + host + ":" + server.port() + " (Ctrl-C stops)");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        stopped.await();
    }
}
