package dev.tokenissuer.admin;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tokenctl completion}: picocli's completion script for bash and zsh, made from the commands themselves. */
@Command(name = "completion", description = "Print a bash/zsh completion script for tokenctl: "
        + "source <(./tokenctl completion), or save it in /etc/bash_completion.d/tokenctl.")
final class CompletionCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().getOut().print(AutoComplete.bash("tokenctl", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
    }
}
