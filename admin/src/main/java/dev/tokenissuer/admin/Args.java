package dev.tokenissuer.admin;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A command's arguments: positionals and {@code --name value} options, checked against what the command takes. */
final class Args {

    private final List<String> positionals;
    private final Map<String, String> options;
    /** Every value of each option, in order, for the options that may be repeated ({@code --claim}). */
    private final Map<String, List<String>> repeated;
    private final boolean help;

    private Args(List<String> positionals, Map<String, String> options, Map<String, List<String>> repeated,
                 boolean help) {
        this.positionals = positionals;
        this.options = options;
        this.repeated = repeated;
        this.help = help;
    }

    static Args parse(List<String> tokens, Set<String> valueOptions, Set<String> switches) {
        List<String> positionals = new ArrayList<>();
        Map<String, String> options = new HashMap<>();
        Map<String, List<String>> repeated = new HashMap<>();
        boolean help = false;
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (token.equals("--help") || token.equals("-h")) {
                help = true;
            } else if (token.startsWith("--")) {
                String name = token.substring(2);
                String value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                if (switches.contains(name) && value == null) {
                    options.put(name, "true");
                } else if (valueOptions.contains(name)) {
                    if (value == null) {
                        if (i + 1 >= tokens.size()) {
                            throw new UsageException("--" + name + " needs a value");
                        }
                        value = tokens.get(++i);
                    }
                    options.put(name, value);
                    repeated.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
                } else {
                    throw new UsageException("unknown option --" + name);
                }
            } else {
                positionals.add(token);
            }
        }
        return new Args(positionals, options, repeated, help);
    }

    boolean help() {
        return help;
    }

    /** The only positional argument, named {@code name} in the error when it is missing. */
    String single(String name) {
        if (positionals.size() != 1) {
            throw new UsageException(positionals.isEmpty() ? name + " is required" : "too many arguments");
        }
        return positionals.get(0);
    }

    /** Exactly two positionals, named in the error when one is missing; the second may be empty. */
    List<String> pair(String first, String second) {
        if (positionals.size() != 2) {
            throw new UsageException(positionals.size() < 2
                    ? first + " and " + second + " are required (\"\" for none)" : "too many arguments");
        }
        return List.copyOf(positionals);
    }

    void none() {
        if (!positionals.isEmpty()) {
            throw new UsageException("unexpected argument " + positionals.get(0));
        }
    }

    Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }

    /** Every value the option was given, in order: for options that may be repeated. */
    List<String> all(String name) {
        return List.copyOf(repeated.getOrDefault(name, List.of()));
    }

    /** All positionals after the first {@code skip}. */
    List<String> positionalsAfter(int skip) {
        return positionals.size() <= skip ? List.of() : List.copyOf(positionals.subList(skip, positionals.size()));
    }

    boolean flag(String name) {
        return options.containsKey(name);
    }

    String required(String name) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            throw new UsageException("--" + name + " is required");
        }
        return value;
    }

    /** A wrong invocation: tokenctl prints the message and the command's usage, and exits 2. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
