package dev.tokenissuer.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Runs {@code tokenctl} in the test's process, with a given environment, and captures what it prints. */
public final class InProcessTokenCtl {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** One tokenctl per thread, its command model built once (see {@link TokenCtl#runAgain}). */
    private static final ThreadLocal<TokenCtl> TOKENCTL = ThreadLocal.withInitial(() -> new TokenCtl(null, null, Map.of()));

    private InProcessTokenCtl() {
    }

    /** What one run of tokenctl answered. */
    public record Run(int status, String out, String err) {
        public JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (Exception e) {
                throw new AssertionError("stdout is not JSON: " + out + "\nstderr: " + err, e);
            }
        }
    }

    public static Run run(Map<String, String> environment, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = TOKENCTL.get().runAgain(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), environment, args);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
