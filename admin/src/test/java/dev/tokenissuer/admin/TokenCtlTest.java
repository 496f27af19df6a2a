package dev.tokenissuer.admin;

import dev.tokenissuer.admin.InProcessTokenCtl.Run;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What tokenctl answers without reaching AWS: help, typos, completion. */
class TokenCtlTest {

    private static Run tokenctl(String... args) {
        return InProcessTokenCtl.run(Map.of(), args);
    }

    @Test
    @DisplayName("suggests the command or option meant by a typo, and exits 2")
    void suggestsForTypos() {
        Run command = tokenctl("serviceuser", "creat", "--org", "o");
        Run option = tokenctl("secret", "create", "id", "--titel", "x");

        assertThat(command.status()).isEqualTo(2);
        assertThat(command.err()).contains("unknown command 'serviceuser creat").contains("Did you mean")
                .contains("serviceuser create");
        assertThat(option.status()).isEqualTo(2);
        assertThat(option.err()).contains("unknown option --titel").contains("--title");
        assertThat(command.out()).isEmpty();
    }

    @Test
    @DisplayName("with no command, prints the overview on stderr and exits 2; help prints it on stdout")
    void overview() {
        Run none = tokenctl();
        Run help = tokenctl("help");

        assertThat(none.status()).isEqualTo(2);
        assertThat(none.err()).startsWith("usage: tokenctl").contains("signing-key rotate");
        assertThat(help.status()).isZero();
        assertThat(help.out()).startsWith("usage: tokenctl").contains("serviceuser set-scopes");
    }

    @Test
    @DisplayName("completion prints a bash script that completes every command and the key specs")
    void completion() {
        Run run = tokenctl("completion");

        assertThat(run.status()).isZero();
        assertThat(run.out()).startsWith("#!/usr/bin/env bash").contains("complete -F _complete_tokenctl")
                .contains("set-audiences").contains("retire").contains("ECC_NIST_P384");
    }

    @Test
    @DisplayName("a missing value, a bad key spec and a blank required option are wrong invocations (exit 2)")
    void wrongValues() {
        Run missing = tokenctl("serviceuser", "set-scopes", "id");
        Run spec = tokenctl("bootstrap", "--key-spec", "RSA_1024");
        Run blank = tokenctl("serviceuser", "create", "--org", " ", "--title", "t");

        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).contains("SCOPES is required").contains("usage: tokenctl serviceuser set-scopes");
        assertThat(spec.status()).isEqualTo(2);
        assertThat(spec.err()).contains("--key-spec must be one of RSA_2048");
        assertThat(blank.status()).isEqualTo(2);
        assertThat(blank.err()).contains("--org is required");
    }
}
