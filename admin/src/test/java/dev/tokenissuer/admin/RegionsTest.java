package dev.tokenissuer.admin;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegionsTest {

    @Test
    @DisplayName("one region: tokenctl writes to AWS_REGION and replicates nothing")
    void singleRegion() {
        Regions regions = Regions.from(Map.of("AWS_REGION", "us-east-1"));
        assertThat(regions.multiRegion()).isFalse();
        assertThat(regions.describe()).isEqualTo("us-east-1");
    }

    @Test
    @DisplayName("several: writes to PRIMARY_REGION, replicates to the others, the primary left out of the replicas")
    void severalRegions() {
        Regions regions = Regions.from(Map.of("AWS_REGION", "eu-west-1", "PRIMARY_REGION", "us-east-1",
                "REPLICA_REGIONS", " eu-west-1, us-east-1,ap-southeast-2,eu-west-1"));
        assertThat(regions.primary()).contains("us-east-1");
        assertThat(regions.replicas()).isEqualTo(List.of("eu-west-1", "ap-southeast-2"));
        assertThat(regions.describe()).isEqualTo("us-east-1 (the primary; the global table replicates to eu-west-1, "
                + "ap-southeast-2)");
    }

    @Test
    @DisplayName("replica regions without a region to write to are refused")
    void replicasNeedAPrimary() {
        assertThatThrownBy(() -> Regions.from(Map.of("REPLICA_REGIONS", "eu-west-1")))
                .isInstanceOf(AdminException.class).hasMessageContaining("PRIMARY_REGION");
    }
}
