package dev.tokenissuer.admin;

import java.util.Set;

/**
 * One tokenctl command: its words ({@code "secret create"}), its help text, the options it takes, and what it does.
 * {@link #run} returns what to print on stdout as JSON.
 */
record Command(String words, String usage, String summary, Set<String> valueOptions, Set<String> switches,
               Action action) {

    /** What a command that serves returns: tokenctl then keeps the process running instead of exiting. */
    static final Object KEEP_RUNNING = new Object();

    @FunctionalInterface
    interface Action {
        Object run(Args args, AdminContext context) throws Exception;
    }

    static Command of(String words, String usage, String summary, Set<String> valueOptions, Action action) {
        return new Command(words, usage, summary, valueOptions, Set.of(), action);
    }
}
