package dev.tokenissuer.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The template's table is the one {@link TableSchema} describes (tokenctl bootstrap builds it from the same names). */
class TemplateTableTest {

    private static JsonNode table() throws Exception {
        return new ObjectMapper(new YAMLFactory()).readTree(Path.of("..", "template.yaml").toFile())
                .at("/Resources/CredentialsTable/Properties");
    }

    @Test
    @DisplayName("the template's TTL attribute is the one replay records and expiring credentials carry")
    void ttlAttribute() throws Exception {
        assertThat(table().at("/TimeToLiveSpecification/AttributeName").asText())
                .isEqualTo(TableSchema.TTL_ATTRIBUTE);
        assertThat(table().at("/TimeToLiveSpecification/Enabled").asBoolean()).isTrue();
    }

    @Test
    @DisplayName("the template's org index is keyed as serviceuser list queries it")
    void orgIndex() throws Exception {
        JsonNode index = null;
        for (JsonNode candidate : table().get("GlobalSecondaryIndexes")) {
            if (TableSchema.ORG_INDEX.equals(candidate.get("IndexName").asText())) {
                index = candidate;
            }
        }
        assertThat(index).as("GSI " + TableSchema.ORG_INDEX).isNotNull();
        assertThat(index.at("/KeySchema/0/AttributeName").asText()).isEqualTo(TableSchema.ORG_ID);
        assertThat(index.at("/KeySchema/0/KeyType").asText()).isEqualTo("HASH");
        assertThat(index.at("/KeySchema/1/AttributeName").asText()).isEqualTo(TableSchema.PARTITION_KEY);
        assertThat(index.at("/KeySchema/1/KeyType").asText()).isEqualTo("RANGE");
        assertThat(index.at("/Projection/ProjectionType").asText()).isEqualTo("ALL");
    }
}
