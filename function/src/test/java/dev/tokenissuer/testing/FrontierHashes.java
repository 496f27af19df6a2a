package dev.tokenissuer.testing;

import at.favre.lib.crypto.bcrypt.BCrypt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Secrets and their hashes as Frontier stores them, made by Go's golang.org/x/crypto/bcrypt at cost 14 (about a
 * second each, so made once: compat/go/cmd/frontier-rows -hashes N > compat/go/testdata/frontier-bcrypt-cost14.jsonl),
 * and cheap cost-4 hashes for tests that check many times.
 */
public final class FrontierHashes {

    public record Pair(String secret, String hash) {
    }

    private static final Pattern LINE = Pattern.compile("\\{\"secret\":\"([^\"]+)\",\"hash\":\"([^\"]+)\"}");

    private FrontierHashes() {
    }

    public static List<Pair> cost14() {
        try {
            return Files.readAllLines(Path.of("..", "compat", "go", "testdata", "frontier-bcrypt-cost14.jsonl")).stream()
                    .map(line -> {
                        Matcher m = LINE.matcher(line);
                        if (!m.matches()) {
                            throw new IllegalStateException("not a secret/hash pair: " + line);
                        }
                        return new Pair(m.group(1), m.group(2));
                    }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Go-made pair whose secret holds a {@code +}, which form-decoding turns into a space. */
    public static Pair withPlus() {
        return cost14().stream().filter(p -> p.secret().contains("+")).findFirst().orElseThrow();
    }

    /** {@code secret} under a {@code $2a$04$} hash: the format Frontier writes, at a cost a unit test can afford. */
    public static String cost4(String secret) {
        return new String(BCrypt.with(BCrypt.Version.VERSION_2A).hash(4, secret.getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8);
    }
}
