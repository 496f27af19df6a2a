package dev.tokenissuer.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tokenissuer.config.IssuerConfig;
import dev.tokenissuer.signing.SigningKeySpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code tokenctl}: the operator's CLI. Reads the same environment as the function ({@code TABLE_NAME},
 * {@code SIGNING_KEY_ID}, {@code AWS_REGION}, {@code AWS_ENDPOINT_URL}, ...), prints JSON on stdout, and errors on
 * stderr with a non-zero exit (1 for a failure, 2 for a wrong invocation). picocli parses the arguments and writes
 * the help; each command is a method of its group's {@code *Commands} class that returns what to print.
 */
@Command(name = "tokenctl", synopsisSubcommandLabel = "COMMAND",
        description = {"Administers token-issuer's DynamoDB table and KMS key. Reads TABLE_NAME, SIGNING_KEY_ID, "
                + "AWS_REGION and AWS_ENDPOINT_URL like the function does. Prints JSON on stdout."},
        footer = {"", "`tokenctl COMMAND --help` tells more; `source <(tokenctl completion)` completes commands in bash "
                + "and zsh."})
public final class TokenCtl {

    private static final String USAGE = "usage: ";

    private PrintStream out;
    private PrintStream err;
    private Map<String, String> env;
    private AdminContext context;
    private CommandLine cli;

    TokenCtl(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    public static void main(String[] args) {
        System.exit(new TokenCtl(System.out, System.err, System.getenv()).run(args));
    }

    /**
     * The commands, in the order the help lists them: the two above (picocli adds a class's command methods first),
     * then one class per group. A new group is one line here (docs/development.md).
     */
    CommandLine commandLine() {
        CommandLine cli = new CommandLine(this);
        cli.addSubcommand(new CommandLine(new ServiceUserCommands(this)));
        cli.addSubcommand(new CommandLine(new SecretCommands(this)));
        cli.addSubcommand(new CommandLine(new KeyCommands(this)));
        cli.addSubcommand(new CommandLine(new SigningKeyCommands(this)));
        cli.addSubcommand(new CommandLine(new ImportCommands(this)));
        cli.addSubcommand(new CommandLine(new FederationCommands(this)));
        // A kid is base64url and may start with '-': retire reads one as its KEY_ID, not as an unknown option.
        cli.getSubcommands().get("signing-key").getSubcommands().get("retire")
                .setUnmatchedOptionsArePositionalParams(true);
        cli.addSubcommand(new CommandLine(new CompletionCommand()));
        cli.addSubcommand(new CommandLine(new CommandLine.HelpCommand()));
        cli.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST,
                TokenCtl::everyCommand);
        helpEverywhere(cli);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setExecutionStrategy(this::execute);
        cli.setParameterExceptionHandler(TokenCtl::wrongInvocation);
        cli.setExecutionExceptionHandler((e, command, parsed) -> failure(e, command));
        return cli;
    }

    int run(String[] argv) {
        if (cli == null) {
            cli = commandLine();
        }
        try {
            return cli.execute(argv);
        } finally {
            if (context != null) {
                context.close();
                context = null;
            }
        }
    }

    /**
     * Runs again, with other streams and environment, on the command model already built: building it reflects over
     * every command (about 20 ms of CPU when warm), which a test running tokenctl in process thousands of times, from
     * many threads at once, should not pay each time. One thread at a time.
     */
    int runAgain(PrintStream out, PrintStream err, Map<String, String> env, String[] argv) {
        this.out = out;
        this.err = err;
        this.env = env;
        if (cli != null) {
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
        }
        return run(argv);
    }

    @Command(name = "bootstrap", defaultValueProvider = Options.FirstKeySpec.class,
            description = "Create the table and the KMS signing key with its alias when missing, and record the key in "
                    + "the verification set (for local use; idempotent).")
    Map<String, Object> bootstrap(@Option(names = "--key-spec", paramLabel = "SPEC",
            converter = Options.KeySpec.class, completionCandidates = Options.KeySpecNames.class,
            description = "One of ${COMPLETION-CANDIDATES}; default ${DEFAULT-VALUE}.") SigningKeySpec spec) {
        return LocalCommands.bootstrap(context(), spec);
    }

    @Command(name = "token", description = "Exchange this shell's AWS credentials for a token (a check of a "
            + "federation trust-aws rule); BASE_URL defaults to PUBLIC_BASE_URL.")
    Map<String, Object> token(@Option(names = "--from-aws-credentials", required = true,
                                      description = "Sign an STS GetCallerIdentity with them (the only source today).")
                              boolean fromAwsCredentials,
                              @Option(names = "--url", paramLabel = "BASE_URL") String url,
                              @Option(names = "--scope", paramLabel = "\"S1 S2\"") String scope) {
        return FederationCommands.exchangeOwnCredentials(context(), Optional.ofNullable(url),
                Optional.ofNullable(scope));
    }

    @Command(name = "serve", description = "Serve the API over HTTP through the Lambda handler, as API Gateway would. "
            + "Runs until stopped (Ctrl-C).")
    void serve(@Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
                       description = "Default ${DEFAULT-VALUE}.") String host,
               @Option(names = "--port", paramLabel = "PORT", description = "Default $PORT, else 7400.") Integer port)
            throws Exception {
        LocalCommands.serve(context(), host, port != null ? port : Integer.parseInt(env.getOrDefault("PORT", "7400")));
    }

    /** What commands work with, made when the first one needs it, so {@code --help} needs no settings. */
    AdminContext context() {
        if (context == null) {
            context = new AdminContext(IssuerConfig.from(env), env, err);
        }
        return context;
    }

    /** Runs the command and prints what it returned as JSON; a command that prints itself returns nothing. */
    private int execute(ParseResult parsed) {
        int status = new CommandLine.RunLast().execute(parsed);
        List<CommandLine> executed = parsed.asCommandLineList();
        Object result = executed.get(executed.size() - 1).getExecutionResult();
        if (status == 0 && result != null && !(result instanceof Integer)) {
            try {
                // Made here, not at class initialization: --help and wrong invocations print no JSON.
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result));
            } catch (Exception e) {
                throw new CommandLine.ExecutionException(executed.get(executed.size() - 1), "cannot print", e);
            }
        }
        return status;
    }

    /** A wrong invocation: what is wrong, picocli's suggestions for a typo, and how the command is called. */
    private static int wrongInvocation(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        if (!isMissingCommand(e)) {
            err.println("tokenctl: " + explain(e));
            CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        }
        usage(command, err);
        return 2;
    }

    private static boolean isMissingCommand(ParameterException e) {
        return String.valueOf(e.getMessage()).startsWith("Missing required subcommand");
    }

    private static String explain(ParameterException e) {
        if (e instanceof CommandLine.MissingParameterException missing) {
            return missing.getMissing().stream().map(TokenCtl::name).map(name -> name + " is required")
                    .collect(Collectors.joining("; "));
        }
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched) {
            List<String> words = unmatched.getUnmatched();
            if (!e.getCommandLine().getSubcommands().isEmpty() && !words.get(0).startsWith("-")) {
                return "unknown command '" + commandPath(e.getCommandLine().getCommandSpec()) + words.get(0) + "'";
            }
            Optional<String> option = words.stream()
                    .filter(word -> word.startsWith("--") || unmatched.isUnknownOption() && word.startsWith("-"))
                    .findFirst();
            if (option.isPresent()) {
                return "unknown option " + option.get().split("=", 2)[0];
            }
            return "unexpected argument " + words.get(0);
        }
        if (e.getCause() instanceof CommandLine.TypeConversionException conversion && e.getArgSpec() != null) {
            return name(e.getArgSpec()) + " " + conversion.getMessage();
        }
        return e.getMessage();
    }

    /** The words after {@code tokenctl} that name the command, each followed by a space. */
    private static String commandPath(CommandSpec spec) {
        String qualified = spec.qualifiedName(" ");
        int space = qualified.indexOf(' ');
        return space < 0 ? "" : qualified.substring(space + 1) + " ";
    }

    private static String name(ArgSpec arg) {
        return arg instanceof OptionSpec option ? option.longestName() : arg.paramLabel();
    }

    /** The synopsis of a command; for the top or a group, the whole help, which lists the commands. */
    private static void usage(CommandLine command, PrintWriter err) {
        if (command.getSubcommands().isEmpty()) {
            err.print(USAGE + command.getHelp().synopsis(USAGE.length()));
        } else {
            command.usage(err);
        }
        err.flush();
    }

    /** A command that failed: its message, or for a wrong value found late, the message and the usage. */
    private static int failure(Exception e, CommandLine command) {
        PrintWriter err = command.getErr();
        try {
            if (e instanceof IllegalArgumentException) {
                err.println("tokenctl: " + e.getMessage());
                usage(command, err);
                return 2;
            }
            if (e instanceof AdminException) {
                err.println("tokenctl: " + e.getMessage());
            } else if (e instanceof SdkException sdk) {
                String message = String.valueOf(e.getMessage());
                // The SDK's region and credential messages list every provider it tried: the hint says it plainly.
                if (!message.startsWith("Unable to load region") && !message.startsWith("Unable to load credentials")) {
                    err.println("tokenctl: AWS call failed: " + message);
                }
                hint(sdk).ifPresent(hint -> err.println("tokenctl: " + hint));
            } else {
                err.println("tokenctl: " + e);
            }
            return 1;
        } finally {
            err.flush();
        }
    }

    /** What to do about the SDK's two most common set-up failures, whose own messages name only providers. */
    static Optional<String> hint(SdkException e) {
        String message = String.valueOf(e.getMessage());
        if (message.startsWith("Unable to load region")) {
            return Optional.of("set AWS_REGION to the region of the table and key "
                    + "(any region, e.g. us-east-1, for the local emulator)");
        }
        if (message.startsWith("Unable to load credentials")) {
            return Optional.of("set AWS credentials (AWS_PROFILE, or AWS_ACCESS_KEY_ID and "
                    + "AWS_SECRET_ACCESS_KEY; any values, e.g. test, for the local emulator)");
        }
        if (e instanceof SdkClientException && e.getCause() instanceof ConnectException) {
            return Optional.of("nothing answers at AWS_ENDPOINT_URL; is the emulator running (make run)?");
        }
        return Optional.empty();
    }

    /** The top help lists every command a user can run ({@code serviceuser create}), not only the groups. */
    private static String everyCommand(CommandLine.Help help) {
        Map<String, String> commands = new LinkedHashMap<>();
        listCommands(help.commandSpec().commandLine(), commands);
        return help.createTextTable(commands).toString();
    }

    private static void listCommands(CommandLine parent, Map<String, String> commands) {
        for (CommandLine command : parent.getSubcommands().values().stream().distinct().toList()) {
            CommandSpec spec = command.getCommandSpec();
            if (spec.usageMessage().hidden()) {
                continue;
            }
            if (command.getSubcommands().isEmpty()) {
                String[] text = spec.usageMessage().header().length > 0 ? spec.usageMessage().header()
                        : spec.usageMessage().description();
                String description = String.join(" ", text).replace("%n", " ").strip();
                int sentence = description.indexOf(". ");
                commands.put(commandPath(spec).strip(), sentence < 0 ? description : description.substring(0, sentence + 1));
            } else {
                listCommands(command, commands);
            }
        }
    }

    /**
     * {@code --help} on every command (picocli's {@code help} command has its own), and the help's headings:
     * {@code usage: tokenctl serviceuser create ...}, as the hand-written CLI printed it and scripts may look for.
     */
    private static void helpEverywhere(CommandLine command) {
        CommandSpec spec = command.getCommandSpec();
        if (spec.findOption("--help") == null) {
            spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("Show this help.").build());
        }
        spec.usageMessage().synopsisHeading(USAGE)
                .commandListHeading("%ncommands:%n").optionListHeading("%noptions:%n")
                .parameterListHeading("%narguments:%n").descriptionHeading("%n");
        command.getSubcommands().values().stream().distinct().forEach(TokenCtl::helpEverywhere);
    }
}
