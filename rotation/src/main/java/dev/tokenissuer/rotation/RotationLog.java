package dev.tokenissuer.rotation;

import dev.tokenissuer.http.JsonValues;

import java.io.PrintStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/** One JSON line per rotation step, for CloudWatch Logs: ids and outcomes, never a secret. */
public final class RotationLog {

    private final PrintStream out;
    private final Clock clock;

    public RotationLog(PrintStream out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    void step(String step, String secretArn, String versionId, Map<String, String> details) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("timestamp", clock.instant().toString());
        line.put("level", "INFO");
        line.put("event", "secret_rotation");
        line.put("step", step);
        line.put("secret_arn", secretArn);
        line.put("version_id", versionId);
        line.putAll(details);
        out.println(JsonValues.write(line));
    }

    void refused(String step, String secretArn, String versionId, String why) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("timestamp", clock.instant().toString());
        line.put("level", "ERROR");
        line.put("event", "secret_rotation");
        line.put("step", step);
        line.put("secret_arn", secretArn);
        line.put("version_id", versionId);
        line.put("outcome", "refused");
        line.put("why", why);
        out.println(JsonValues.write(line));
    }
}
