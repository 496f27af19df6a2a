package dev.tokenissuer.store;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PublicKeyItemTest {

    @Test
    @DisplayName("survives the trip through a DynamoDB item, under its kid's key")
    void roundTrip() throws Exception {
        PublicKeyItem key = item(new ECKeyGenerator(Curve.P_256).keyID("k-1").generate().toPublicJWK().toJSONString());

        Map<String, AttributeValue> item = key.toItem();

        assertThat(item.get(TableSchema.PARTITION_KEY).s()).isEqualTo(TableSchema.publicKeyKey("k-1"));
        assertThat(PublicKeyItem.key("k-1")).containsEntry(TableSchema.PARTITION_KEY,
                item.get(TableSchema.PARTITION_KEY));
        assertThat(PublicKeyItem.fromItem(item)).contains(key);
    }

    @Test
    @DisplayName("the token endpoint gets only the public half, even of a damaged item holding a private key")
    void credentialIsPublic() throws Exception {
        ECKey pair = new ECKeyGenerator(Curve.P_256).keyID("k-1").generate();

        PublicKeyCredential credential = PublicKeyItem.fromItem(item(pair.toJSONString()).toItem())
                .orElseThrow().credential();

        assertThat(credential.publicKey()).isEqualTo(pair.toPublicJWK());
        assertThat(credential.publicKey().isPrivate()).isFalse();
        assertThat(credential.serviceUserId()).isEqualTo("su-1");
        assertThat(credential.state()).isEqualTo(ServiceUserState.DISABLED);
    }

    @Test
    @DisplayName("an unreadable stored key is an error, not a key")
    void unreadableKey() {
        assertThatThrownBy(() -> item("{not json").credential()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    @DisplayName("no item, or an item of another type, is no public key")
    void noItem() {
        Map<String, AttributeValue> secret = new HashMap<>(item("{}").toItem());
        secret.put(TableSchema.TYPE, AttributeValue.fromS(TableSchema.TYPE_CLIENT_SECRET));

        assertThat(PublicKeyItem.fromItem(Map.of())).isEmpty();
        assertThat(PublicKeyItem.fromItem(secret)).isEmpty();
    }

    private static PublicKeyItem item(String jwk) {
        return new PublicKeyItem("k-1", "su-1", "org-1", ServiceUserState.DISABLED, jwk, "EC", "laptop",
                "2026-01-01T00:00:00Z");
    }
}
