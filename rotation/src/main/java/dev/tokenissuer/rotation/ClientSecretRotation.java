package dev.tokenissuer.rotation;

import dev.tokenissuer.admin.AdminStore;
import dev.tokenissuer.admin.ClientSecretDocument;
import dev.tokenissuer.grant.ClientSecretAuthentication;
import dev.tokenissuer.grant.OAuthException;
import dev.tokenissuer.grant.RequestedAccess;
import dev.tokenissuer.grant.TokenRequest;
import dev.tokenissuer.store.CredentialStore;
import dev.tokenissuer.store.SecretHasher;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Secrets Manager's four rotation steps for a secret that holds a {@link ClientSecretDocument}. Each step is
 * idempotent, as the contract requires: Secrets Manager retries a failed step, and may run one twice.
 *
 * <ul>
 *   <li>{@code createSecret}: a new client secret for the same service user (found from the current version's
 *   client id), stored as the {@code AWSPENDING} version. Its client id is derived from the secret and the version,
 *   so a repeated step finds the credential an interrupted one made and replaces it (nobody ever read that one's
 *   secret) instead of making a second.</li>
 *   <li>{@code setSecret}: nothing to do; the credential exists since {@code createSecret} (there is no database
 *   password to change elsewhere).</li>
 *   <li>{@code testSecret}: authenticates with the pending secret through the token endpoint's own code
 *   ({@link ClientSecretAuthentication} over the table), in process. Not by a request to the token endpoint: that
 *   would need the API reachable from here (not so for a private API or one behind a WAF) and would make a token
 *   for nothing; and not by signing one here: only the token function's role may sign with the KMS key.</li>
 *   <li>{@code finishSecret}: moves {@code AWSCURRENT} to the new version (the old one becomes
 *   {@code AWSPREVIOUS}), takes {@code AWSPENDING} off, and makes the previous credential expire after the overlap,
 *   so a consumer that read the previous version a moment ago still gets tokens until then. DynamoDB's TTL deletes
 *   it later.</li>
 * </ul>
 * A secret that does not hold this project's document is refused at every step and left as it was.
 */
public final class ClientSecretRotation {

    static final String CURRENT = "AWSCURRENT";
    static final String PENDING = "AWSPENDING";
    static final String PREVIOUS = "AWSPREVIOUS";

    private final SecretsManagerClient secrets;
    private final AdminStore store;
    private final CredentialStore credentials;
    private final Duration overlap;
    private final Clock clock;
    private final RotationLog log;

    public ClientSecretRotation(SecretsManagerClient secrets, AdminStore store, CredentialStore credentials,
                                Duration overlap, Clock clock, RotationLog log) {
        this.secrets = secrets;
        this.store = store;
        this.credentials = credentials;
        this.overlap = overlap;
        this.clock = clock;
        this.log = log;
    }

    /** Runs {@code step} ({@code createSecret}, ...) of version {@code token} of {@code secretId}. */
    public void run(String step, String secretId, String token) {
        DescribeSecretResponse described = secrets.describeSecret(r -> r.secretId(secretId));
        Map<String, List<String>> versions = described.versionIdsToStages();
        if (!versions.containsKey(token)) {
            throw new RotationRefused("version " + token + " of " + described.arn() + " has no stage for rotation");
        }
        switch (step) {
            case "createSecret" -> createSecret(described, token, versions);
            case "setSecret" -> log.step(step, described.arn(), token, Map.of("outcome", "nothing_to_set"));
            case "testSecret" -> testSecret(described, token, versions);
            case "finishSecret" -> finishSecret(described, token, versions);
            default -> throw new RotationRefused("unknown rotation step " + step);
        }
    }

    private void createSecret(DescribeSecretResponse secret, String token, Map<String, List<String>> versions) {
        if (versions.get(token).contains(CURRENT)) {
            log.step("createSecret", secret.arn(), token, Map.of("outcome", "already_current"));
            return;
        }
        requirePending(secret, token, versions);
        ClientSecretDocument current = document(secret.arn(), Optional.empty(), CURRENT)
                .orElseThrow(() -> new RotationRefused(secret.arn() + " has no current version to rotate"));
        Optional<ClientSecretDocument> pending = document(secret.arn(), Optional.of(token), PENDING);
        if (pending.isPresent()) {
            log.step("createSecret", secret.arn(), token, Map.of("outcome", "already_created",
                    "client_id", pending.get().clientId()));
            return;
        }
        AdminStore.StoredSecret currentCredential = store.findSecret(current.clientId()).orElseThrow(() ->
                new RotationRefused("the current client id " + current.clientId() + " of " + secret.arn()
                        + " is no stored client secret (deleted, or expired and removed): create a new one with"
                        + " tokenctl secret create --to-secrets-manager"));
        String clientId = clientIdFor(secret.arn(), token);
        if (store.findSecret(clientId).isPresent()) {
            // An earlier run of this step made it and failed before storing its secret: nobody has it.
            store.deleteSecret(clientId);
        }
        String clientSecret = SecretHasher.newSecret();
        store.importSecret(currentCredential.serviceUserId(), "rotated by Secrets Manager", clientId, clientSecret);
        String json = new ClientSecretDocument(clientId, clientSecret, current.tokenEndpoint()).toJson();
        secrets.putSecretValue(r -> r.secretId(secret.arn()).clientRequestToken(token).secretString(json)
                .versionStages(PENDING));
        log.step("createSecret", secret.arn(), token, Map.of("outcome", "created", "client_id", clientId,
                "service_user_id", currentCredential.serviceUserId(), "previous_client_id", current.clientId()));
    }

    private void testSecret(DescribeSecretResponse secret, String token, Map<String, List<String>> versions) {
        ClientSecretDocument pending = document(secret.arn(), Optional.of(token),
                versions.get(token).contains(CURRENT) ? CURRENT : PENDING)
                .orElseThrow(() -> new RotationRefused("version " + token + " of " + secret.arn()
                        + " holds no client secret yet: createSecret has not run"));
        try {
            TokenRequest request = new TokenRequest("client_credentials", Map.of(TokenRequest.CLIENT_ID,
                    pending.clientId(), TokenRequest.CLIENT_SECRET, pending.clientSecret()), false);
            new ClientSecretAuthentication(credentials, clock).authenticate(request,
                    RequestedAccess.of(request, List.of()));
        } catch (OAuthException refused) {
            throw new RotationRefused("the pending client secret " + pending.clientId() + " does not authenticate: "
                    + refused.error().error() + " (" + refused.error().reason().code() + ")");
        }
        log.step("testSecret", secret.arn(), token, Map.of("outcome", "authenticated", "client_id",
                pending.clientId()));
    }

    private void finishSecret(DescribeSecretResponse secret, String token, Map<String, List<String>> versions) {
        String currentVersion = versions.entrySet().stream().filter(entry -> entry.getValue().contains(CURRENT))
                .map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new RotationRefused(secret.arn() + " has no current version"));
        if (!currentVersion.equals(token)) {
            document(secret.arn(), Optional.of(token), PENDING).orElseThrow(() -> new RotationRefused("version "
                    + token + " of " + secret.arn() + " holds no client secret yet: createSecret has not run"));
            // Read before the move: the previous credential is the one current until now.
            ClientSecretDocument previous = document(secret.arn(), Optional.of(currentVersion), CURRENT)
                    .orElseThrow(() -> new RotationRefused(secret.arn() + " does not hold token-issuer client"
                            + " credentials; left as it is"));
            secrets.updateSecretVersionStage(r -> r.secretId(secret.arn()).versionStage(CURRENT)
                    .moveToVersionId(token).removeFromVersionId(currentVersion));
            expirePrevious(secret.arn(), token, previous);
        } else {
            // Moved already (a repeated step, or one interrupted after the move): the expiry may still be missing.
            Optional<String> previousVersion = versions.entrySet().stream()
                    .filter(entry -> entry.getValue().contains(PREVIOUS)).map(Map.Entry::getKey).findFirst();
            Optional<ClientSecretDocument> previous = previousVersion.flatMap(version ->
                    document(secret.arn(), Optional.of(version), PREVIOUS));
            previous.ifPresent(document -> expirePrevious(secret.arn(), token, document));
        }
        if (versions.get(token).contains(PENDING)) {
            secrets.updateSecretVersionStage(r -> r.secretId(secret.arn()).versionStage(PENDING)
                    .removeFromVersionId(token));
        }
    }

    private void expirePrevious(String arn, String token, ClientSecretDocument previous) {
        Instant until = clock.instant().plus(overlap).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Optional<Instant> expires = store.expireSecretBy(previous.clientId(), until);
        log.step("finishSecret", arn, token, Map.of("outcome", "current", "previous_client_id", previous.clientId(),
                "previous_valid_until", expires.map(Instant::toString).orElse("gone")));
    }

    private static void requirePending(DescribeSecretResponse secret, String token,
                                       Map<String, List<String>> versions) {
        if (!versions.get(token).contains(PENDING)) {
            throw new RotationRefused("version " + token + " of " + secret.arn() + " is not AWSPENDING");
        }
    }

    /**
     * The document of a version, by id or stage; empty when that version has no value yet.
     *
     * @throws RotationRefused when it holds something else than this project's document
     */
    private Optional<ClientSecretDocument> document(String arn, Optional<String> versionId, String stage) {
        String value;
        try {
            value = secrets.getSecretValue(r -> r.secretId(arn).versionId(versionId.orElse(null))
                    .versionStage(stage)).secretString();
        } catch (ResourceNotFoundException noValue) {
            return Optional.empty();
        }
        return Optional.of(ClientSecretDocument.parse(value).orElseThrow(() -> new RotationRefused(arn
                + " (" + stage + ") does not hold token-issuer client credentials"
                + " {\"client_id\", \"client_secret\", \"token_endpoint\"}; left as it is")));
    }

    /** The client id of the credential a rotation to version {@code token} of {@code arn} makes: always the same. */
    static String clientIdFor(String arn, String token) {
        return UUID.nameUUIDFromBytes(("token-issuer rotation " + arn + " " + token)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }
}
