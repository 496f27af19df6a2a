package dev.tokenissuer.admin;

import dev.tokenissuer.signing.SigningKeySpec;
import dev.tokenissuer.store.TableSchema;
import dev.tokenissuer.store.VerificationSet;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.kms.KmsClient;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Creates what the function needs when it is missing: the table and the KMS signing key with its alias, recorded in
 * the verification set. For local use and tests; a deployment gets table and key from the template (and the set
 * from the first {@code tokenctl signing-key rotate}). Running it again changes nothing.
 */
public final class Bootstrap {

    private final DynamoDbClient dynamo;
    private final KmsClient kms;

    public Bootstrap(DynamoDbClient dynamo, KmsClient kms) {
        this.dynamo = dynamo;
        this.kms = kms;
    }

    public Map<String, Object> run(String tableName, String signingKeyId, SigningKeySpec keySpec) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("table", tableName);
        result.put("table_created", ensureTable(tableName));
        Map<String, Object> key = ensureSigningKey(tableName, signingKeyId, keySpec);
        result.putAll(key);
        return result;
    }

    boolean ensureTable(String tableName) {
        try {
            TableDescription table = dynamo.describeTable(r -> r.tableName(tableName)).table();
            ensureOrgIndex(table);
            return false;
        } catch (ResourceNotFoundException missing) {
            dynamo.createTable(r -> r.tableName(tableName)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(
                            AttributeDefinition.builder().attributeName(TableSchema.PARTITION_KEY)
                                    .attributeType(ScalarAttributeType.S).build(),
                            AttributeDefinition.builder().attributeName(TableSchema.ORG_ID)
                                    .attributeType(ScalarAttributeType.S).build())
                    .keySchema(KeySchemaElement.builder()
                            .attributeName(TableSchema.PARTITION_KEY).keyType(KeyType.HASH).build())
                    .globalSecondaryIndexes(orgIndex()));
            dynamo.waiter().waitUntilTableExists(r -> r.tableName(tableName));
            dynamo.updateTimeToLive(r -> r.tableName(tableName).timeToLiveSpecification(
                    t -> t.attributeName(TableSchema.TTL_ATTRIBUTE).enabled(true)));
            return true;
        }
    }

    /**
     * Adds the org index to a table made before it existed, as CloudFormation adds it on a stack update; DynamoDB
     * backfills it in the background, and {@code serviceuser list} answers from it once it is active.
     */
    private void ensureOrgIndex(TableDescription table) {
        if (table.hasGlobalSecondaryIndexes() && table.globalSecondaryIndexes().stream()
                .anyMatch(index -> TableSchema.ORG_INDEX.equals(index.indexName()))) {
            return;
        }
        GlobalSecondaryIndex index = orgIndex();
        dynamo.updateTable(r -> r.tableName(table.tableName())
                .attributeDefinitions(AttributeDefinition.builder().attributeName(TableSchema.ORG_ID)
                        .attributeType(ScalarAttributeType.S).build())
                .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName(index.indexName())
                        .keySchema(index.keySchema()).projection(index.projection()))));
    }

    /** As the template's CredentialsTable defines it (a test compares the two). */
    static GlobalSecondaryIndex orgIndex() {
        return GlobalSecondaryIndex.builder()
                .indexName(TableSchema.ORG_INDEX)
                .keySchema(KeySchemaElement.builder().attributeName(TableSchema.ORG_ID).keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName(TableSchema.PARTITION_KEY).keyType(KeyType.RANGE)
                                .build())
                .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                .build();
    }

    Map<String, Object> ensureSigningKey(String tableName, String signingKeyId, SigningKeySpec keySpec) {
        SigningKeyAdmin keys = new SigningKeyAdmin(kms, new SigningKeyStore(dynamo, tableName), signingKeyId,
                Clock.systemUTC());
        boolean exists = keys.signingKeyExists();
        if (!exists && !signingKeyId.startsWith("alias/")) {
            throw new AdminException("no KMS key " + signingKeyId + "; set SIGNING_KEY_ID to an alias "
                    + "(alias/...) to have bootstrap create one");
        }
        // Either way the key ends up recorded in the verification set, so rotate and list know it.
        VerificationSet.Key key = exists ? keys.recordSigner() : keys.create(keySpec);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("signing_key_id", key.keyId());
        result.put("signing_key_created", !exists);
        result.put("signing_key_alias", signingKeyId.startsWith("alias/") ? signingKeyId : null);
        result.put("kid", key.kid());
        return result;
    }
}
