package dev.tokenissuer.observability;

import dev.tokenissuer.http.JsonValues;
import dev.tokenissuer.signing.KeySet;
import dev.tokenissuer.signing.SigningKeysLog;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the signing keys' events as JSON lines beside the request log (stdout in Lambda): which kid signs and which
 * the JWKS publishes whenever that changes, and refreshes that failed. Kids and key ids are public; failures are
 * logged as {@link JsonLinesRequestLog} logs them, by class and AWS error code.
 */
public final class JsonLinesSigningKeysLog implements SigningKeysLog {

    private final PrintStream out;

    public JsonLinesSigningKeysLog(PrintStream out) {
        this.out = out;
    }

    @Override
    public void keySetChanged(KeySet previous, KeySet current) {
        Map<String, Object> line = line("INFO", "signing_keys_loaded");
        line.put("signing_kid", current.signer().kid());
        line.put("signing_key_id", current.signer().keyId());
        line.put("published_kids", current.publishedKids());
        if (previous != null) {
            line.put("previous_signing_kid", previous.signer().kid());
        }
        out.println(JsonValues.write(line));
    }

    @Override
    public void refreshFailed(Throwable failure) {
        Map<String, Object> line = line("WARN", "signing_keys_refresh_failed");
        line.put("fault", JsonLinesRequestLog.fault(failure));
        line.put("effect", "serving from the key set loaded before");
        out.println(JsonValues.write(line));
    }

    @Override
    public void keyUnavailable(String keyId, Throwable failure) {
        Map<String, Object> line = line("WARN", "verification_key_unavailable");
        line.put("key_id", keyId);
        line.put("fault", JsonLinesRequestLog.fault(failure));
        line.put("effect", "left out of the JWKS");
        out.println(JsonValues.write(line));
    }

    private static Map<String, Object> line(String level, String event) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("level", level);
        line.put("event", event);
        return line;
    }
}
