package dev.tokenissuer.admin;

import dev.tokenissuer.store.TableSchema;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.NotFoundException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Creates what the function needs when it is missing: the table and the KMS signing key with its alias. For local
 * use and tests; a deployment gets both from the template. Running it again changes nothing.
 */
public final class Bootstrap {

    private final DynamoDbClient dynamo;
    private final KmsClient kms;

    public Bootstrap(DynamoDbClient dynamo, KmsClient kms) {
        this.dynamo = dynamo;
        this.kms = kms;
    }

    public Map<String, Object> run(String tableName, String signingKeyId, KeySpec keySpec) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("table", tableName);
        result.put("table_created", ensureTable(tableName));
        Map<String, Object> key = ensureSigningKey(signingKeyId, keySpec);
        result.putAll(key);
        return result;
    }

    boolean ensureTable(String tableName) {
        try {
            dynamo.describeTable(r -> r.tableName(tableName));
            return false;
        } catch (ResourceNotFoundException missing) {
            dynamo.createTable(r -> r.tableName(tableName)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(AttributeDefinition.builder()
                            .attributeName(TableSchema.PARTITION_KEY).attributeType(ScalarAttributeType.S).build())
                    .keySchema(KeySchemaElement.builder()
                            .attributeName(TableSchema.PARTITION_KEY).keyType(KeyType.HASH).build()));
            dynamo.waiter().waitUntilTableExists(r -> r.tableName(tableName));
            dynamo.updateTimeToLive(r -> r.tableName(tableName).timeToLiveSpecification(
                    t -> t.attributeName(TableSchema.TTL_ATTRIBUTE).enabled(true)));
            return true;
        }
    }

    Map<String, Object> ensureSigningKey(String signingKeyId, KeySpec keySpec) {
        Map<String, Object> result = new LinkedHashMap<>();
        try {
            String keyId = kms.describeKey(r -> r.keyId(signingKeyId)).keyMetadata().keyId();
            result.put("signing_key_id", keyId);
            result.put("signing_key_created", false);
        } catch (NotFoundException missing) {
            if (!signingKeyId.startsWith("alias/")) {
                throw new AdminException("no KMS key " + signingKeyId + "; set SIGNING_KEY_ID to an alias "
                        + "(alias/...) to have bootstrap create one");
            }
            String keyId = kms.createKey(r -> r
                    .keySpec(keySpec)
                    .keyUsage(KeyUsageType.SIGN_VERIFY)
                    .description("token-issuer access token signing key")).keyMetadata().keyId();
            kms.createAlias(r -> r.aliasName(signingKeyId).targetKeyId(keyId));
            result.put("signing_key_id", keyId);
            result.put("signing_key_created", true);
        }
        result.put("signing_key_alias", signingKeyId.startsWith("alias/") ? signingKeyId : null);
        return result;
    }
}
