package dev.tokenissuer.store;

/**
 * The single DynamoDB table's layout, shared by the function (reads) and {@code tokenctl} (writes). Each kind of
 * item is turned into attributes and back by one codec, used by both sides: {@link ClientSecretItem},
 * {@link PublicKeyItem}, {@link ServiceUserItem}, {@link VerificationSetItem}, {@link UsedAssertionItem}.
 *
 * <p>One string partition key, {@code pk}, with a type prefix. A credential item (a client secret or a public key)
 * carries a copy of its service user's org and state, so a token request reads exactly one item; {@code tokenctl}
 * keeps the copies in step in the same transaction that changes the service user (the service user item lists its
 * credentials for that). Replay records of jwt-bearer assertions expire through the TTL attribute.
 *
 * <p>One item, {@link #SIGNING_KEYS_KEY}, is the verification set: the KMS keys whose public halves the JWKS
 * publishes (see {@link VerificationSet}). {@code tokenctl signing-key ...} writes it; the function re-reads it every
 * {@code SIGNING_KEYS_REFRESH_SECONDS}.
 */
public final class TableSchema {

    public static final String PARTITION_KEY = "pk";
    /**
     * Epoch seconds after which DynamoDB's TTL may delete the item: replay records, and credentials that expire (a
     * grace period after {@link #VALID_UNTIL}, see {@link CredentialValidity}).
     */
    public static final String TTL_ATTRIBUTE = "expires_at";

    public static final String TYPE = "type";
    public static final String SERVICE_USER_ID = "service_user_id";
    public static final String ORG_ID = "org_id";
    public static final String STATE = "state";
    public static final String TITLE = "title";
    public static final String CREATED_AT = "created_at";
    public static final String CLIENT_ID = "client_id";
    public static final String SECRET_HASH = "secret_hash";
    /**
     * On a key item: the key's id, a UUID, as assertions name it in their {@code kid} header. In a verification set
     * entry: the signing key's JWK thumbprint, as tokens carry it.
     */
    public static final String KID = "kid";
    /** On a key item: the public JWK as JSON. Only the public half of a key is ever stored. */
    public static final String PUBLIC_JWK = "public_jwk";
    /** On a key item: {@code RSA} or {@code EC}, the JWK key type, so listings need not parse the JWK. */
    public static final String ALG_FAMILY = "alg_family";
    /** On a service user item: the partition keys of its credentials. */
    public static final String CREDENTIALS = "credentials";
    /** On a service user item: bumped by every change, for optimistic locking. */
    public static final String VERSION = "version";
    /**
     * On a service user item and, copied, on each of its credential items: the scopes it may be granted (RFC 6749
     * §3.3), a string set; absent means none.
     */
    public static final String ALLOWED_SCOPES = "allowed_scopes";
    /** As {@link #ALLOWED_SCOPES}: the audiences (RFC 8707 resources, absolute URIs) its tokens may name. */
    public static final String ALLOWED_AUDIENCES = "allowed_audiences";
    /**
     * On a service user item and, copied, on each of its credential items: its tokens' lifetime in seconds, a number;
     * absent means the deployment's (see {@link TokenPolicy}).
     */
    public static final String TOKEN_LIFETIME_SECONDS = "token_lifetime_seconds";
    /** As {@link #TOKEN_LIFETIME_SECONDS}: the static claims its tokens carry, a map of claim name to JSON value. */
    public static final String TOKEN_CLAIMS = "token_claims";
    /** On a credential item that expires: epoch seconds from which the token endpoint refuses it. */
    public static final String VALID_UNTIL = "valid_until";
    /**
     * The global secondary index that lists service users by org without a scan: partition key {@link #ORG_ID}, sort
     * key {@link #PARTITION_KEY}, so {@code begins_with(pk, "serviceuser#")} reads only service users. Credential items
     * carry an org id too and are in it; replay records and the verification set are not.
     */
    public static final String ORG_INDEX = "org-index";
    /** On a used-assertion record: the random nonce of the request that wrote it (see {@link ReplayGuard}). */
    public static final String USE_NONCE = "use_nonce";

    public static final String TYPE_SERVICE_USER = "service_user";
    public static final String TYPE_CLIENT_SECRET = "client_secret";
    public static final String TYPE_PUBLIC_KEY = "public_key";
    public static final String TYPE_USED_ASSERTION = "used_assertion";
    public static final String TYPE_SIGNING_KEYS = "signing_keys";

    /**
     * The prefix of replay records, the only items the function writes. The template's IAM policy names it
     * ({@code dynamodb:LeadingKeys}), so the function cannot overwrite a credential.
     */
    public static final String USED_ASSERTION_PREFIX = "jti#";

    /**
     * The budget of legacy hash checks of an imported secret ({@link LegacySecrets}), one item per client id that
     * someone tried: how many checks its current window has had ({@link #CHECKS}), when the window ends
     * ({@link #WINDOW_ENDS}, epoch seconds, also its TTL). The template lets the function write these and nothing
     * else of a credential but its {@link #SECRET_HASH}.
     */
    public static final String LEGACY_CHECKS_PREFIX = "legacy-checks#";
    public static final String TYPE_LEGACY_CHECKS = "legacy_checks";
    public static final String CHECKS = "checks";
    public static final String WINDOW_ENDS = "window_ends";

    /** The partition key of the verification set item. */
    public static final String SIGNING_KEYS_KEY = "signing-keys";
    /** On the verification set item: the list of keys, each a map of {@link #KID} and the attributes below. */
    public static final String KEYS = "keys";
    public static final String KEY_ID = "key_id";
    public static final String ALGORITHM = "alg";
    public static final String KEY_SPEC = "key_spec";
    public static final String KEY_ROLE = "role";
    public static final String PUBLISHED_AT = "published_at";
    public static final String SIGNING_SINCE = "signing_since";
    public static final String STOPPED_SIGNING_AT = "stopped_signing_at";

    /**
     * Federation (token exchange, RFC 8693): trust rules that map an outside identity to a service user. A rule is a
     * credential of its service user (listed in its {@link #CREDENTIALS}, carrying the same copies), so the copies
     * follow a disable; an OIDC issuer's registration has no service user. Codecs: {@link AwsTrustItem}, {@link OidcIssuerItem}, {@link OidcTrustItem}.
     */
    public static final String TYPE_AWS_TRUST = "aws_trust";
    public static final String TYPE_OIDC_ISSUER = "oidc_issuer";
    public static final String TYPE_OIDC_TRUST = "oidc_trust";
    /** On a trust rule: its id, a UUID, which the exchanged token's {@code client_id} carries. */
    public static final String RULE_ID = "rule_id";
    /** On an AWS trust rule: the role ({@code arn:PARTITION:iam::ACCOUNT:role/NAME}, no path) or user ARN. */
    public static final String PRINCIPAL_ARN = "principal_arn";
    /** On an OIDC issuer and an OIDC trust rule: the issuer URL, exactly as its tokens' {@code iss}. */
    public static final String ISSUER = "issuer";
    /** On an OIDC issuer: the {@code aud} its tokens must carry. */
    public static final String REQUIRED_AUDIENCE = "required_audience";
    /** On an OIDC trust rule: the {@code sub} it matches, exactly, or a prefix when it ends in {@code *}. */
    public static final String SUBJECT_PATTERN = "subject_pattern";
    /** On an OIDC trust rule: claims (a map of name to string value) that must all be equal in the token. */
    public static final String REQUIRED_CLAIMS = "required_claims";

    public static final String FEDERATION_PREFIX = "fed#";

    private TableSchema() {
    }

    public static String serviceUserKey(String serviceUserId) {
        return "serviceuser#" + serviceUserId;
    }

    public static String clientSecretKey(String clientId) {
        return "secret#" + clientId;
    }

    public static String legacyChecksKey(String clientId) {
        return LEGACY_CHECKS_PREFIX + clientId;
    }

    public static String publicKeyKey(String kid) {
        return "key#" + kid;
    }

    public static String awsTrustKey(String principalArn) {
        return FEDERATION_PREFIX + "aws#" + principalArn;
    }

    public static String oidcIssuerKey(String issuer) {
        return FEDERATION_PREFIX + "issuer#" + issuer;
    }

    /** An issuer URL has no {@code #} (OpenID Connect Discovery §2: no fragment), so the key is unambiguous. */
    public static String oidcTrustKey(String issuer, String subjectPattern) {
        return FEDERATION_PREFIX + "oidc#" + issuer + "#" + subjectPattern;
    }

    /**
     * The replay record of an assertion: per key, since a {@code jti} is unique only for its issuer (RFC 7519
     * §4.1.7). The {@code jti} enters as a digest so that the key has a fixed size whatever the client sent.
     */
    public static String usedAssertionKey(String kid, String jtiDigest) {
        return USED_ASSERTION_PREFIX + kid + "#" + jtiDigest;
    }
}
