package dev.tokenissuer.admin;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code tokenctl federation ...}: who may exchange an outside identity for a service user's token (RFC 8693); the
 * work is in {@link FederationAdmin}. {@code tokenctl token --from-aws-credentials} is {@link #exchangeOwnCredentials}.
 */
@Command(name = "federation", synopsisSubcommandLabel = "COMMAND",
        description = "Trust rules for token exchange: AWS IAM identities and OIDC issuers' tokens (docs/federation.md).")
final class FederationCommands {

    private final TokenCtl tokenctl;

    FederationCommands(TokenCtl tokenctl) {
        this.tokenctl = tokenctl;
    }

    @Command(name = "trust-aws", description = "Let an IAM role (any session) or IAM user (its ARN in --role-arn) "
            + "exchange a signed GetCallerIdentity for the service user's token.")
    FederationAdmin.Entry trustAws(@Option(names = "--role-arn", required = true, paramLabel = "ARN") String arn,
                                   @Option(names = "--serviceuser", required = true, paramLabel = "ID") String user,
                                   @Option(names = "--title", paramLabel = "T", defaultValue = "") String title) {
        return admin().trustAws(Options.given("--role-arn", arn), Options.given("--serviceuser", user), title);
    }

    @Command(name = "add-issuer", description = "Register an OIDC issuer whose tokens may be exchanged; they must "
            + "carry A in aud (default: this service's issuer).")
    FederationAdmin.Entry addIssuer(@Parameters(paramLabel = "URL") String url,
                                    @Option(names = "--audience", paramLabel = "A") String audience) {
        return admin().addIssuer(url, Optional.ofNullable(audience));
    }

    @Command(name = "trust-oidc", description = "Let tokens of a registered issuer with this sub (a trailing * after "
            + ": or / matches a prefix) and all these claims be exchanged for the service user's token.")
    FederationAdmin.Entry trustOidc(
            @Option(names = "--issuer", required = true, paramLabel = "URL") String issuer,
            @Option(names = "--subject", required = true, paramLabel = "SUB") String subject,
            @Option(names = "--claim", paramLabel = "NAME=VALUE", description = "A claim the token must carry "
                    + "(repeatable; or several as NAME=VALUE;NAME=VALUE).") List<String> claims,
            @Option(names = "--serviceuser", required = true, paramLabel = "ID") String user,
            @Option(names = "--title", paramLabel = "T", defaultValue = "") String title) {
        return admin().trustOidc(Options.given("--issuer", issuer), Options.given("--subject", subject),
                claims(claims == null ? List.of() : claims), Options.given("--serviceuser", user), title);
    }

    @Command(name = "list", description = "List the registered OIDC issuers and every trust rule.")
    List<FederationAdmin.Entry> list() {
        return admin().list();
    }

    @Command(name = "remove", description = "Remove a trust rule (by id) or an issuer no rule names (by URL); it stops "
            + "at once.")
    FederationAdmin.Entry remove(@Parameters(paramLabel = "RULE_ID|ISSUER_URL") String id) {
        return admin().remove(id);
    }

    /** {@code tokenctl token --from-aws-credentials}: this shell's AWS credentials exchanged for a token, a check. */
    static Map<String, Object> exchangeOwnCredentials(AdminContext context, Optional<String> url,
                                                      Optional<String> scope) {
        URI base = url.map(URI::create).or(() -> context.config().publicBaseUrl())
                .orElseThrow(() -> new IllegalArgumentException("--url is required when PUBLIC_BASE_URL is not set"));
        return AwsCredentialsExchange.exchange(base, context.config().awsEndpoint(),
                context.env().getOrDefault("AWS_REGION", "us-east-1"), scope);
    }

    private FederationAdmin admin() {
        AdminContext context = tokenctl.context();
        return new FederationAdmin(context.dynamo(), context.config().tableName(), Clock.systemUTC());
    }

    /** NAME=VALUE pairs, each name once; a value may hold several separated by ';'. */
    static Map<String, String> claims(List<String> values) {
        Map<String, String> claims = new LinkedHashMap<>();
        for (String text : values) {
            for (String pair : text.split(";")) {
                if (pair.isBlank()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq <= 0 || claims.put(pair.substring(0, eq).strip(), pair.substring(eq + 1)) != null) {
                    throw new IllegalArgumentException("--claim takes NAME=VALUE pairs, each name once");
                }
            }
        }
        return claims;
    }
}
