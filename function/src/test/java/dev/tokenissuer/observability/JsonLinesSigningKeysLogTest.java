package dev.tokenissuer.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenissuer.signing.KeySet;
import dev.tokenissuer.signing.PublishedKey;
import dev.tokenissuer.testing.LocalSigningKeys;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JsonLinesSigningKeysLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final JsonLinesSigningKeysLog log =
            new JsonLinesSigningKeysLog(new PrintStream(out, true, StandardCharsets.UTF_8));

    private JsonNode onlyLine() throws Exception {
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(1);
        return JSON.readTree(lines.get(0));
    }

    @Test
    @DisplayName("a new key set is logged with the signing kid and every published kid")
    void keySetChanged() throws Exception {
        PublishedKey before = LocalSigningKeys.newEcKey("before");
        PublishedKey after = LocalSigningKeys.newEcKey("after");

        log.keySetChanged(new KeySet(before.signingKey(), List.of(before.publicJwk())),
                new KeySet(after.signingKey(), List.of(after.publicJwk(), before.publicJwk())));

        JsonNode line = onlyLine();
        assertThat(line.get("event").asText()).isEqualTo("signing_keys_loaded");
        assertThat(line.get("signing_kid").asText()).isEqualTo(after.signingKey().kid());
        assertThat(line.get("previous_signing_kid").asText()).isEqualTo(before.signingKey().kid());
        assertThat(line.get("published_kids")).extracting(JsonNode::asText).containsExactly(after.signingKey().kid(), before.signingKey().kid());
    }

    @Test
    @DisplayName("a failed refresh is a warning naming the fault by class and AWS error code, not by message")
    void refreshFailed() throws Exception {
        log.refreshFailed(DynamoDbException.builder().statusCode(500).message("table secret-stuff is sad")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("InternalServerError").build()).build());

        JsonNode line = onlyLine();
        assertThat(line.get("level").asText()).isEqualTo("WARN");
        assertThat(line.get("event").asText()).isEqualTo("signing_keys_refresh_failed");
        assertThat(line.get("fault").asText()).contains("DynamoDbException(InternalServerError)");
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("secret-stuff");
    }
}
