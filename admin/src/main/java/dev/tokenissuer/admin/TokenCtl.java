package dev.tokenissuer.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tokenissuer.config.IssuerConfig;
import dev.tokenissuer.lambda.TokenIssuerHandler;
import dev.tokenissuer.store.ServiceUserState;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.model.KeySpec;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code tokenctl}: the operator's CLI. Reads the same environment as the function ({@code TABLE_NAME},
 * {@code SIGNING_KEY_ID}, {@code AWS_REGION}, {@code AWS_ENDPOINT_URL}, ...), prints JSON on stdout, and errors on
 * stderr with a non-zero exit (1 for a failure, 2 for a wrong invocation).
 */
public final class TokenCtl {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private final List<Command> commands = new ArrayList<>();

    TokenCtl(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
        register();
    }

    public static void main(String[] args) {
        int status = new TokenCtl(System.out, System.err, System.getenv()).run(args);
        if (status != Integer.MIN_VALUE) {
            System.exit(status);
        }
    }

    private void register() {
        commands.add(Command.of("bootstrap", "bootstrap [--key-spec SPEC]",
                "Create the table and the KMS signing key with its alias when missing (for local use; idempotent).",
                Set.of("key-spec"), (args, context) -> {
                    args.none();
                    KeySpec spec = KeySpec.fromValue(args.option("key-spec").orElse("RSA_2048"));
                    if (spec == KeySpec.UNKNOWN_TO_SDK_VERSION) {
                        throw new Args.UsageException("unknown --key-spec");
                    }
                    return new Bootstrap(context.dynamo(), context.kms())
                            .run(context.config().tableName(), context.config().signingKeyId(), spec);
                }));
        commands.add(Command.of("serviceuser create", "serviceuser create --org ORG_ID --title TITLE",
                "Create an enabled service user in an organization.", Set.of("org", "title"), (args, context) -> {
                    args.none();
                    return serviceUser(context.store().createServiceUser(args.required("org"),
                            args.required("title")));
                }));
        commands.add(Command.of("serviceuser get", "serviceuser get ID",
                "Show a service user and the ids of its credentials.", Set.of(), (args, context) ->
                        serviceUser(context.store().findServiceUser(args.single("ID"))
                                .orElseThrow(() -> new AdminException("no service user with id " + args.single("ID"))))));
        commands.add(Command.of("serviceuser disable", "serviceuser disable ID",
                "Disable a service user: its credentials stop getting tokens at once (403).", Set.of(),
                (args, context) -> serviceUser(context.store().setState(args.single("ID"),
                        ServiceUserState.DISABLED))));
        commands.add(Command.of("serviceuser enable", "serviceuser enable ID",
                "Enable a disabled service user again.", Set.of(),
                (args, context) -> serviceUser(context.store().setState(args.single("ID"),
                        ServiceUserState.ENABLED))));
        commands.add(Command.of("secret create", "secret create SERVICEUSER_ID [--title TITLE]",
                "Create a client secret. The secret is printed once and stored only as a hash.", Set.of("title"),
                (args, context) -> {
                    AdminStore.NewSecret secret = context.store().createSecret(args.single("SERVICEUSER_ID"),
                            args.option("title").orElse(""));
                    Map<String, Object> result = new LinkedHashMap<>();
                    result.put("client_id", secret.clientId());
                    result.put("client_secret", secret.clientSecret());
                    result.put("service_user_id", secret.serviceUserId());
                    result.put("title", secret.title());
                    result.put("created_at", secret.createdAt());
                    return result;
                }));
        commands.add(Command.of("secret delete", "secret delete CLIENT_ID",
                "Delete a client secret; it stops working at once.", Set.of(), (args, context) -> {
                    String clientId = args.single("CLIENT_ID");
                    context.store().deleteSecret(clientId);
                    return Map.of("client_id", clientId, "deleted", true);
                }));
        commands.add(Command.of("serve", "serve [--host HOST] [--port PORT]",
                "Serve the API over HTTP through the Lambda handler, as API Gateway would (default "
                        + "127.0.0.1:7400, or $PORT).", Set.of("host", "port"), (args, context) -> {
                    args.none();
                    serve(args.option("host").orElse("127.0.0.1"),
                            Integer.parseInt(args.option("port").orElse(env.getOrDefault("PORT", "7400"))));
                    return null;
                }));
    }

    int run(String[] argv) {
        List<String> tokens = Arrays.asList(argv);
        if (tokens.isEmpty() || tokens.get(0).equals("--help") || tokens.get(0).equals("-h")
                || tokens.get(0).equals("help")) {
            printOverview(tokens.isEmpty() ? err : out);
            return tokens.isEmpty() ? 2 : 0;
        }
        Command command = find(tokens);
        if (command == null) {
            err.println("tokenctl: unknown command '" + String.join(" ", tokens) + "'");
            printOverview(err);
            return 2;
        }
        List<String> rest = tokens.subList(command.words().split(" ").length, tokens.size());
        try (AdminContext context = new AdminContext(IssuerConfig.from(env))) {
            Args args = Args.parse(rest, command.valueOptions(), command.switches());
            if (args.help()) {
                out.println("usage: tokenctl " + command.usage());
                out.println();
                out.println(command.summary());
                return 0;
            }
            Object result = command.action().run(args, context);
            if (result == null) {
                return Integer.MIN_VALUE; // a server: keep running
            }
            out.println(JSON.writeValueAsString(result));
            return 0;
        } catch (Args.UsageException | IllegalArgumentException e) {
            err.println("tokenctl: " + e.getMessage());
            err.println("usage: tokenctl " + command.usage());
            return 2;
        } catch (AdminException e) {
            err.println("tokenctl: " + e.getMessage());
            return 1;
        } catch (SdkException e) {
            err.println("tokenctl: AWS call failed: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            err.println("tokenctl: " + e);
            return 1;
        }
    }

    private Command find(List<String> tokens) {
        Command best = null;
        for (Command command : commands) {
            List<String> words = Arrays.asList(command.words().split(" "));
            if (tokens.size() >= words.size() && tokens.subList(0, words.size()).equals(words)
                    && (best == null || words.size() > best.words().split(" ").length)) {
                best = command;
            }
        }
        return best;
    }

    private void printOverview(PrintStream stream) {
        stream.println("usage: tokenctl COMMAND [ARGS] [--help]");
        stream.println();
        stream.println("Administers token-issuer's DynamoDB table and KMS key. Reads TABLE_NAME, SIGNING_KEY_ID,");
        stream.println("AWS_REGION and AWS_ENDPOINT_URL like the function does. Prints JSON on stdout.");
        stream.println();
        stream.println("commands:");
        for (Command command : commands) {
            stream.printf("  %-48s %s%n", command.usage(), command.summary());
        }
    }

    private static Map<String, Object> serviceUser(AdminStore.ServiceUser user) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("id", user.id());
        result.put("org_id", user.orgId());
        result.put("title", user.title());
        result.put("state", user.state().storedName());
        result.put("credentials", user.credentials());
        result.put("created_at", user.createdAt());
        return result;
    }

    private void serve(String host, int port) throws Exception {
        LocalServer server = new LocalServer(new TokenIssuerHandler(), host, port);
        server.start();
        err.println("tokenctl: serving http://" + host + ":" + server.port() + " (Ctrl-C stops)");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        stopped.await();
    }
}
