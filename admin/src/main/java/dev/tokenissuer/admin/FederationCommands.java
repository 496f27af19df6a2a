package dev.tokenissuer.admin;

import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code tokenctl federation ...} and {@code tokenctl token --from-aws-credentials}, registered with today's
 * {@link Command} mechanism; the work is in {@link FederationAdmin} and {@link AwsCredentialsExchange}.
 */
final class FederationCommands {

    private FederationCommands() {
    }

    static List<Command> all() {
        return List.of(
                Command.of("federation trust-aws", "federation trust-aws --role-arn ARN --serviceuser ID [--title T]",
                        "Let an IAM role (any session) or IAM user (its ARN in --role-arn) exchange a signed"
                                + " GetCallerIdentity for the service user's token (RFC 8693).",
                        Set.of("role-arn", "serviceuser", "title"), (args, context) -> {
                            args.none();
                            return admin(context).trustAws(args.required("role-arn"), args.required("serviceuser"),
                                    args.option("title").orElse(""));
                        }),
                Command.of("federation add-issuer", "federation add-issuer URL [--audience A]",
                        "Register an OIDC issuer whose tokens may be exchanged; they must carry A in aud (default:"
                                + " this service's issuer).", Set.of("audience"), (args, context) ->
                                admin(context).addIssuer(args.single("URL"), args.option("audience"))),
                Command.of("federation trust-oidc", "federation trust-oidc --issuer URL --subject SUB"
                                + " [--claim \"NAME=VALUE[;NAME=VALUE...]\"] --serviceuser ID [--title T]",
                        "Let tokens of a registered issuer with this sub (a trailing * after : or / matches a"
                                + " prefix) and all these claims be exchanged for the service user's token.",
                        Set.of("issuer", "subject", "claim", "serviceuser", "title"), (args, context) -> {
                            args.none();
                            return admin(context).trustOidc(args.required("issuer"), args.required("subject"),
                                    claims(args.option("claim").orElse("")), args.required("serviceuser"),
                                    args.option("title").orElse(""));
                        }),
                Command.of("federation list", "federation list",
                        "List the registered OIDC issuers and every trust rule.", Set.of(), (args, context) -> {
                            args.none();
                            return admin(context).list();
                        }),
                Command.of("federation remove", "federation remove RULE_ID|ISSUER_URL",
                        "Remove a trust rule (by id) or an issuer no rule names (by URL); it stops at once.",
                        Set.of(), (args, context) -> admin(context).remove(args.single("RULE_ID|ISSUER_URL"))),
                new Command("token", "token --from-aws-credentials [--url BASE_URL] [--scope \"S1 S2\"]",
                        "Exchange this shell's AWS credentials for a token (a check of a trust-aws rule); BASE_URL"
                                + " defaults to PUBLIC_BASE_URL.", Set.of("url", "scope"),
                        Set.of("from-aws-credentials"), (args, context) -> {
                            args.none();
                            if (!args.flag("from-aws-credentials")) {
                                throw new IllegalArgumentException("--from-aws-credentials is required");
                            }
                            URI base = args.option("url").map(URI::create).or(() -> context.config().publicBaseUrl())
                                    .orElseThrow(() -> new IllegalArgumentException(
                                            "--url is required when PUBLIC_BASE_URL is not set"));
                            return AwsCredentialsExchange.exchange(base, context.config().awsEndpoint(),
                                    context.env().getOrDefault("AWS_REGION", "us-east-1"), args.option("scope"));
                        }));
    }

    private static FederationAdmin admin(AdminContext context) {
        return new FederationAdmin(context.dynamo(), context.config().tableName(), Clock.systemUTC());
    }

    /** NAME=VALUE pairs separated by ';' (today's parser takes an option once). */
    static Map<String, String> claims(String text) {
        Map<String, String> claims = new LinkedHashMap<>();
        if (text.isBlank()) {
            return claims;
        }
        for (String pair : text.split(";")) {
            int eq = pair.indexOf('=');
            if (eq <= 0 || claims.put(pair.substring(0, eq).strip(), pair.substring(eq + 1)) != null) {
                throw new IllegalArgumentException("--claim takes NAME=VALUE pairs, each name once");
            }
        }
        return claims;
    }
}
