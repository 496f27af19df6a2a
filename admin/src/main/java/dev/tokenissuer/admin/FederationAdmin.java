package dev.tokenissuer.admin;

import dev.tokenissuer.grant.exchange.CallerArn;
import dev.tokenissuer.store.AwsTrustItem;
import dev.tokenissuer.store.CredentialIds;
import dev.tokenissuer.store.OidcIssuerItem;
import dev.tokenissuer.store.OidcTrustItem;
import dev.tokenissuer.store.SubjectPatterns;
import dev.tokenissuer.store.TableSchema;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The writes behind {@code tokenctl federation ...}: trust rules that map an AWS principal or an OIDC identity to a
 * service user, and the OIDC issuers whose tokens may be exchanged. A trust rule is a credential of its service user
 * ({@link AdminStore#addCredential}): it is listed on the service user, carries copies of its org, state and allowed
 * sets, and a disable reaches it as it reaches a client secret. Plain methods, so any command-line front end can call
 * them.
 */
public final class FederationAdmin {

    static final int MAX_ISSUER_CHARS = 256;
    static final int MAX_CLAIMS = 16;
    static final int MAX_CLAIM_CHARS = 256;

    private final DynamoDbClient dynamo;
    private final String table;
    private final AdminStore store;
    private final Clock clock;

    public FederationAdmin(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.store = new AdminStore(dynamo, table, clock);
        this.clock = clock;
    }

    /** What {@link #list} shows of one rule or issuer; {@code id} is what {@link #remove} takes. */
    public record Entry(String kind, String id, Map<String, Object> details) {
    }

    /**
     * Trusts an IAM role (any of its sessions) or an IAM user as the service user.
     *
     * @param roleOrUserArn {@code arn:aws:iam::ACCOUNT:role/[PATH/]NAME} (stored without the path, which an
     *                      assumed-role ARN does not carry) or {@code arn:aws:iam::ACCOUNT:user/[PATH/]NAME}
     */
    public Entry trustAws(String roleOrUserArn, String serviceUserId, String title) {
        FieldLimits.title(title);
        String principal = CallerArn.principalOf(roleOrUserArn.strip()).orElseThrow(() -> new AdminException(
                "not an IAM role or user ARN: expected arn:aws:iam::ACCOUNT:role/NAME or arn:aws:iam::ACCOUNT:user/NAME"));
        String userId = serviceUser(serviceUserId);
        refuseExisting(AwsTrustItem.key(principal), principal + " is already trusted; remove that rule first");
        String ruleId = UUID.randomUUID().toString();
        String now = Instant.now(clock).toString();
        store.addCredential(userId, AwsTrustItem.partitionKey(principal), user -> new AwsTrustItem(principal, ruleId,
                userId, user.orgId(), user.state(), title, now, user.allowed()).toItem());
        return awsEntry(new AwsTrustItem(principal, ruleId, userId, null, null, title, now, null));
    }

    /**
     * Registers an OIDC issuer; its tokens must carry {@code audience} in {@code aud}, or this service's issuer when
     * empty. Registering one again replaces its audience.
     */
    public Entry addIssuer(String issuerUrl, Optional<String> audience) {
        String issuer = checkIssuer(issuerUrl);
        audience.ifPresent(value -> {
            if (value.isBlank() || value.length() > MAX_ISSUER_CHARS) {
                throw new AdminException("the audience must be 1 to " + MAX_ISSUER_CHARS + " characters");
            }
        });
        OidcIssuerItem item = new OidcIssuerItem(issuer, audience.orElse(null), Instant.now(clock).toString());
        dynamo.putItem(r -> r.tableName(table).item(item.toItem()));
        return issuerEntry(item);
    }

    /**
     * Trusts the tokens of a registered issuer whose {@code sub} is {@code subject} (or starts with what comes before
     * a trailing {@code *}) and that carry every one of {@code claims}, as the service user.
     */
    public Entry trustOidc(String issuerUrl, String subject, Map<String, String> claims, String serviceUserId,
                           String title) {
        FieldLimits.title(title);
        String issuer = checkIssuer(issuerUrl);
        SubjectPatterns.whyNot(subject).ifPresent(reason -> {
            throw new AdminException(reason);
        });
        if (claims.size() > MAX_CLAIMS) {
            throw new AdminException("at most " + MAX_CLAIMS + " claims may be required");
        }
        claims.forEach((name, value) -> {
            if (name.isBlank() || name.length() > MAX_CLAIM_CHARS || value.length() > MAX_CLAIM_CHARS) {
                throw new AdminException("a claim condition is NAME=VALUE, each at most " + MAX_CLAIM_CHARS
                        + " characters");
            }
        });
        Map<String, AttributeValue> registered = dynamo.getItem(r -> r.tableName(table)
                .key(OidcIssuerItem.key(issuer)).consistentRead(true)).item();
        if (OidcIssuerItem.fromItem(registered).isEmpty()) {
            throw new AdminException("issuer " + issuer + " is not registered; run federation add-issuer first");
        }
        String userId = serviceUser(serviceUserId);
        refuseExisting(OidcTrustItem.key(issuer, subject),
                "a rule for that issuer and subject exists; remove it first");
        String ruleId = UUID.randomUUID().toString();
        String now = Instant.now(clock).toString();
        store.addCredential(userId, OidcTrustItem.partitionKey(issuer, subject), user -> new OidcTrustItem(issuer,
                subject, claims, ruleId, userId, user.orgId(), user.state(), title, now, user.allowed()).toItem());
        return oidcEntry(new OidcTrustItem(issuer, subject, claims, ruleId, userId, null, null, title, now, null));
    }

    /** Every issuer and rule, issuers first. A Scan: an operator's command, never the token path. */
    public List<Entry> list() {
        List<Entry> issuers = new ArrayList<>();
        List<Entry> rules = new ArrayList<>();
        for (Map<String, AttributeValue> item : scanFederation()) {
            OidcIssuerItem.fromItem(item).map(FederationAdmin::issuerEntry).ifPresent(issuers::add);
            AwsTrustItem.fromItem(item).map(FederationAdmin::awsEntry).ifPresent(rules::add);
            OidcTrustItem.fromItem(item).map(FederationAdmin::oidcEntry).ifPresent(rules::add);
        }
        issuers.sort(Comparator.comparing(Entry::id));
        rules.sort(Comparator.comparing(entry -> String.valueOf(entry.details().get("created_at"))));
        issuers.addAll(rules);
        return issuers;
    }

    /**
     * Removes a rule (by its id, as {@link #list} shows it) or an issuer (by its URL). An issuer that rules still
     * name is refused: remove them first, so no rule is left that can never match.
     */
    public Entry remove(String id) {
        Optional<String> ruleId = CredentialIds.normalize(id);
        List<Map<String, AttributeValue>> items = scanFederation();
        if (ruleId.isPresent()) {
            for (Map<String, AttributeValue> item : items) {
                if (ruleId.get().equals(stringOf(item, TableSchema.RULE_ID))) {
                    String key = item.get(TableSchema.PARTITION_KEY).s();
                    Entry removed = AwsTrustItem.fromItem(item).map(FederationAdmin::awsEntry)
                            .or(() -> OidcTrustItem.fromItem(item).map(FederationAdmin::oidcEntry)).orElseThrow();
                    store.deleteCredential(key, stored -> Optional.ofNullable(
                                    stringOf(stored, TableSchema.SERVICE_USER_ID)),
                            "removing rule " + ruleId.get(), "no rule with id " + ruleId.get());
                    return removed;
                }
            }
            throw new AdminException("no rule with id " + ruleId.get());
        }
        String issuer = id.strip();
        long rules = items.stream().filter(item -> OidcTrustItem.fromItem(item)
                .filter(rule -> rule.issuer().equals(issuer)).isPresent()).count();
        if (rules > 0) {
            throw new AdminException(rules + " rule(s) trust issuer " + issuer + "; remove them first");
        }
        try {
            Map<String, AttributeValue> old = dynamo.deleteItem(r -> r.tableName(table)
                    .key(OidcIssuerItem.key(issuer))
                    .conditionExpression("attribute_exists(pk)")
                    .returnValues(software.amazon.awssdk.services.dynamodb.model.ReturnValue.ALL_OLD)).attributes();
            return OidcIssuerItem.fromItem(old).map(FederationAdmin::issuerEntry)
                    .orElseThrow(() -> new AdminException("no issuer " + issuer));
        } catch (ConditionalCheckFailedException e) {
            throw new AdminException("no rule or issuer " + id + " (rules are removed by id, issuers by URL)");
        }
    }

    /**
     * An issuer URL as OpenID Connect Discovery takes it: HTTPS without query or fragment (HTTP on a loopback
     * address, for local issuers), exactly as its tokens' {@code iss}.
     */
    static String checkIssuer(String url) {
        String issuer = url.strip();
        URI uri;
        try {
            uri = new URI(issuer);
        } catch (URISyntaxException e) {
            throw new AdminException("the issuer must be a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean https = scheme.equals("https");
        boolean loopbackHttp = scheme.equals("http") && uri.getHost() != null && isLoopback(uri.getHost());
        if (!(https || loopbackHttp) || uri.getHost() == null || uri.getRawQuery() != null
                || uri.getRawFragment() != null || issuer.contains("#") || uri.getRawUserInfo() != null
                || issuer.length() > MAX_ISSUER_CHARS) {
            throw new AdminException("the issuer must be an https URL without query or fragment, at most "
                    + MAX_ISSUER_CHARS + " characters (http only on a loopback address)");
        }
        return issuer;
    }

    private static boolean isLoopback(String host) {
        try {
            return host.equals("localhost") || (host.matches("[0-9.]+") || host.startsWith("["))
                    && InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private String serviceUser(String id) {
        return store.findServiceUser(id).map(AdminStore.ServiceUser::id)
                .orElseThrow(() -> new AdminException("no service user with id " + id));
    }

    private void refuseExisting(Map<String, AttributeValue> key, String message) {
        Map<String, AttributeValue> existing = dynamo.getItem(r -> r.tableName(table).key(key).consistentRead(true))
                .item();
        if (existing != null && !existing.isEmpty()) {
            throw new AdminException(message);
        }
    }

    private List<Map<String, AttributeValue>> scanFederation() {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse page = dynamo.scan(r -> r.tableName(table).consistentRead(true)
                    .filterExpression("begins_with(#pk, :fed)")
                    .expressionAttributeNames(Map.of("#pk", TableSchema.PARTITION_KEY))
                    .expressionAttributeValues(Map.of(":fed", AttributeValue.fromS(TableSchema.FEDERATION_PREFIX)))
                    .exclusiveStartKey(from));
            items.addAll(page.items());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }

    private static String stringOf(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item == null ? null : item.get(name);
        return value == null ? null : value.s();
    }

    private static Entry awsEntry(AwsTrustItem rule) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("principal_arn", rule.principalArn());
        details.put("service_user_id", rule.serviceUserId());
        details.put("title", rule.title());
        details.put("created_at", rule.createdAt());
        return new Entry("trust-aws", rule.ruleId(), details);
    }

    private static Entry oidcEntry(OidcTrustItem rule) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("issuer", rule.issuer());
        details.put("subject", rule.subjectPattern());
        details.put("claims", new TreeMap<>(rule.requiredClaims()));
        details.put("service_user_id", rule.serviceUserId());
        details.put("title", rule.title());
        details.put("created_at", rule.createdAt());
        return new Entry("trust-oidc", rule.ruleId(), details);
    }

    private static Entry issuerEntry(OidcIssuerItem issuer) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("audience", issuer.requiredAudience() == null ? "(this service's issuer)"
                : issuer.requiredAudience());
        details.put("created_at", issuer.createdAt());
        return new Entry("issuer", issuer.issuer(), details);
    }
}
