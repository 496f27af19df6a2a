package dev.tokenissuer.store;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link FederationRules} on the DynamoDB table: a GetItem for an AWS principal, one BatchGetItem for an OIDC issuer
 * and the candidate rules of a subject. Strongly consistent, as the credential reads: a removed rule stops at once.
 */
public final class DynamoFederationRules implements FederationRules {

    /** BatchGetItem may leave keys unread under throttling; they are asked for again this many times at most. */
    private static final int BATCH_ATTEMPTS = 3;

    private final DynamoDbClient dynamo;
    private final String tableName;

    public DynamoFederationRules(DynamoDbClient dynamo, String tableName) {
        this.dynamo = dynamo;
        this.tableName = tableName;
    }

    @Override
    public Optional<TrustTarget> findAwsTrust(String principalArn) {
        var response = dynamo.getItem(r -> r.tableName(tableName).key(AwsTrustItem.key(principalArn))
                .consistentRead(true));
        return AwsTrustItem.fromItem(response.hasItem() ? response.item() : Map.of()).map(AwsTrustItem::target);
    }

    @Override
    public OidcRules findOidc(String issuer, List<String> subjectPatterns) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        keys.add(OidcIssuerItem.key(issuer));
        subjectPatterns.forEach(pattern -> keys.add(OidcTrustItem.key(issuer, pattern)));
        Map<String, KeysAndAttributes> pending = Map.of(tableName,
                KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
        Optional<OidcIssuerItem> registration = Optional.empty();
        List<OidcTrustItem> rules = new ArrayList<>();
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            if (attempt > BATCH_ATTEMPTS) {
                // As the SDK reports throttling, so the API answers it as it answers any throttled read.
                throw ProvisionedThroughputExceededException.builder()
                        .message("BatchGetItem left keys unprocessed " + BATCH_ATTEMPTS + " times").build();
            }
            Map<String, KeysAndAttributes> request = pending;
            BatchGetItemResponse response = dynamo.batchGetItem(r -> r.requestItems(request));
            for (Map<String, AttributeValue> item : response.responses().getOrDefault(tableName, List.of())) {
                Optional<OidcIssuerItem> found = OidcIssuerItem.fromItem(item);
                if (found.isPresent()) {
                    registration = found;
                }
                OidcTrustItem.fromItem(item).ifPresent(rules::add);
            }
            pending = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
        }
        return new OidcRules(registration, rules);
    }
}
