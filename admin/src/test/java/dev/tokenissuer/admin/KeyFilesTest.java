package dev.tokenissuer.admin;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.Base64;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Reading key files a service user sent: whatever the file holds, the answer comes at once. */
class KeyFilesTest {

    /** A backtracking parse took minutes on some of these; a linear one takes milliseconds. */
    private static final Duration PROMPTLY = Duration.ofSeconds(2);
    private static final String BEGIN = "-----BEGIN PUBLIC KEY-----";
    private static final String END = "-----END PUBLIC KEY-----";

    static Stream<Arguments> craftedFiles() {
        int size = KeyFiles.MAX_KEY_TEXT_CHARS - 100;
        return Stream.of(
                Arguments.of("8000 spaces after BEGIN", BEGIN + " ".repeat(8000) + "!"),
                Arguments.of("a run of spaces before a wrong END", BEGIN + "\nQUJD" + " ".repeat(size) + "-----END X-----"),
                Arguments.of("base64 and spaces alternating, no END", BEGIN + "A ".repeat(size / 2)),
                Arguments.of("a file of dashes", "-".repeat(size)),
                Arguments.of("BEGIN lines repeated", (BEGIN + "\n").repeat(size / (BEGIN.length() + 1))),
                Arguments.of("BEGIN without line breaks repeated", "-----BEGIN A-----".repeat(size / 17)),
                Arguments.of("END lines of another label repeated",
                        BEGIN + "\n" + "-----END PUBLIC KEYS-----\n".repeat(size / 26)),
                Arguments.of("a JWK nested deeply", "{\"kty\":" + "[".repeat(size)),
                Arguments.of("a JWK of a long string", "{\"kty\":\"" + "\\\\".repeat(size / 2)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("craftedFiles")
    @DisplayName("a crafted key file is refused within two seconds")
    void craftedFileIsRefusedPromptly(String what, String content) {
        assertThatThrownBy(() -> assertTimeoutPreemptively(PROMPTLY, () -> KeyFiles.readPublicKey(content)))
                .isInstanceOf(AdminException.class);
    }

    @Test
    @DisplayName("a megabyte of anything is refused by its size, with the limit in the message")
    void megabyteIsRefusedBySize() {
        String junk = "-----BEGIN PUBLIC KEY----- ".repeat(40_000);

        assertThatThrownBy(() -> assertTimeoutPreemptively(PROMPTLY, () -> KeyFiles.readPublicKey(junk)))
                .isInstanceOf(AdminException.class)
                .hasMessageContaining("larger than 64 KiB");
    }

    @Test
    @DisplayName("a PEM public key is read with CRLF line ends, indentation and text before it")
    void pemWithDecorations() throws Exception {
        RSAKey rsa = new RSAKeyGenerator(2048).generate();
        String body = Base64.getMimeEncoder().encodeToString(rsa.toRSAPublicKey().getEncoded());
        String file = "Public-Key: (2048 bit)\r\n  " + BEGIN + "\r\n" + body.replace("\r\n", "\r\n  ") + "\r\n"
                + END + "\r\ntrailing words\r\n";

        JWK read = KeyFiles.readPublicKey(file);

        assertThat(read.toRSAKey().toRSAPublicKey()).isEqualTo(rsa.toRSAPublicKey());
    }

    @Test
    @DisplayName("a PEM block without its END line is refused with a message that says so")
    void pemWithoutEnd() throws Exception {
        String body = Base64.getMimeEncoder().encodeToString(new RSAKeyGenerator(2048).generate()
                .toRSAPublicKey().getEncoded());

        assertThatThrownBy(() -> KeyFiles.readPublicKey(BEGIN + "\n" + body + "\n"))
                .isInstanceOf(AdminException.class)
                .hasMessageContaining("no -----END PUBLIC KEY----- line");
    }
}
