package dev.tokenissuer.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tokenissuer.config.IssuerConfig;
import software.amazon.awssdk.core.exception.SdkException;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

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
        commands.addAll(LocalCommands.all());
        commands.addAll(ServiceUserCommands.all());
        commands.addAll(SecretCommands.all());
        commands.addAll(KeyCommands.all());
        commands.addAll(SigningKeyCommands.all());
        commands.addAll(FederationCommands.all());
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
        try (AdminContext context = new AdminContext(IssuerConfig.from(env), env, err)) {
            Args args = Args.parse(rest, command.valueOptions(), command.switches());
            if (args.help()) {
                out.println("usage: tokenctl " + command.usage());
                out.println();
                out.println(command.summary());
                return 0;
            }
            Object result = command.action().run(args, context);
            if (result == Command.KEEP_RUNNING) {
                return Integer.MIN_VALUE;
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
            String message = String.valueOf(e.getMessage());
            // The SDK's region and credential messages list every provider it tried: the hint says it plainly.
            if (!message.startsWith("Unable to load region") && !message.startsWith("Unable to load credentials")) {
                err.println("tokenctl: AWS call failed: " + message);
            }
            hint(e).ifPresent(hint -> err.println("tokenctl: " + hint));
            return 1;
        } catch (Exception e) {
            err.println("tokenctl: " + e);
            return 1;
        }
    }

    /** What to do about the SDK's two most common set-up failures, whose own messages name only providers. */
    static java.util.Optional<String> hint(SdkException e) {
        String message = String.valueOf(e.getMessage());
        if (message.startsWith("Unable to load region")) {
            return java.util.Optional.of("set AWS_REGION to the region of the table and key "
                    + "(any region, e.g. us-east-1, for the local emulator)");
        }
        if (message.startsWith("Unable to load credentials")) {
            return java.util.Optional.of("set AWS credentials (AWS_PROFILE, or AWS_ACCESS_KEY_ID and "
                    + "AWS_SECRET_ACCESS_KEY; any values, e.g. test, for the local emulator)");
        }
        if (e instanceof software.amazon.awssdk.core.exception.SdkClientException
                && e.getCause() instanceof java.net.ConnectException) {
            return java.util.Optional.of("nothing answers at AWS_ENDPOINT_URL; is the emulator running (make run)?");
        }
        return java.util.Optional.empty();
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
}
