package dev.tokenissuer.config;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegionConfigTest {

    @Test
    @DisplayName("without REPLAY_REGION, replay records are written in the function's own region")
    void localByDefault() {
        RegionConfig config = RegionConfig.from(Map.of("AWS_REGION", "eu-west-1"));
        assertThat(config.region()).contains("eu-west-1");
        assertThat(config.replayRegion()).isEmpty();
    }

    @Test
    @DisplayName("a replica region writes its replay records to REPLAY_REGION, the primary")
    void replayRegionOfAReplica() {
        assertThat(RegionConfig.from(Map.of("AWS_REGION", "eu-west-1", "REPLAY_REGION", "us-east-1")).replayRegion())
                .contains("us-east-1");
    }

    @Test
    @DisplayName("the primary itself needs no second client: REPLAY_REGION equal to its own region is local")
    void theHomeRegionIsLocal() {
        assertThat(RegionConfig.from(Map.of("AWS_REGION", "us-east-1", "REPLAY_REGION", "us-east-1")).replayRegion())
                .isEqualTo(Optional.empty());
    }

    @Test
    @DisplayName("refuses a REPLAY_REGION that is not a region name, at start")
    void refusesANonRegion() {
        assertThatThrownBy(() -> RegionConfig.from(Map.of("REPLAY_REGION", "https://dynamodb.us-east-1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("REPLAY_REGION");
    }
}
