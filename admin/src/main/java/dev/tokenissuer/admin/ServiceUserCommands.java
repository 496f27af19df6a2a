package dev.tokenissuer.admin;

import dev.tokenissuer.grant.AccessLimits;
import dev.tokenissuer.store.AllowedAccess;
import dev.tokenissuer.store.ServiceUserState;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code tokenctl serviceuser ...}: the principals tokens are issued to. */
final class ServiceUserCommands {

    private ServiceUserCommands() {
    }

    static List<Command> all() {
        return List.of(
                Command.of("serviceuser create",
                        "serviceuser create --org ORG_ID --title TITLE [--scopes \"S1 S2\"] [--audiences \"URI1 URI2\"]"
                                + " [--token-lifetime SECONDS] [--claim NAME=VALUE]... [--claim-json NAME=JSON]...",
                        "Create an enabled service user in an organization, optionally allowed scopes (RFC 6749 §3.3)"
                                + " and audiences (absolute URIs a token request may name as resource), with its own"
                                + " token lifetime (at most TOKEN_MAX_TTL_SECONDS) and static claims in every token.",
                        Set.of("org", "title", "scopes", "audiences", "token-lifetime", "claim", "claim-json"),
                        (args, context) -> {
                            args.none();
                            AllowedAccess allowed = new AllowedAccess(
                                    list(args.option("scopes").orElse("")),
                                    list(args.option("audiences").orElse("")),
                                    TokenPolicies.policy(args.option("token-lifetime"),
                                            context.config().tokenMaxTtl(), args.all("claim"), args.all("claim-json")));
                            return json(context.store().createServiceUser(args.required("org"),
                                    args.required("title"), allowed));
                        }),
                Command.of("serviceuser set-token-lifetime", "serviceuser set-token-lifetime ID SECONDS",
                        "Set a service user's token lifetime (60 to TOKEN_MAX_TTL_SECONDS); \"\" returns it to the"
                                + " deployment's. Takes effect on the next token.",
                        Set.of(), (args, context) -> {
                            List<String> positionals = args.pair("ID", "SECONDS");
                            Optional<String> seconds = Optional.of(positionals.get(1)).filter(s -> !s.isBlank());
                            return json(context.store().setTokenLifetime(positionals.get(0), TokenPolicies.policy(
                                    seconds, context.config().tokenMaxTtl(), List.of(), List.of())));
                        }),
                Command.of("serviceuser set-claims",
                        "serviceuser set-claims ID [NAME=VALUE]... [--claim-json NAME=JSON]...",
                        "Replace the static claims of a service user's tokens (strings, or JSON values with"
                                + " --claim-json); none clears them. Takes effect on the next token.",
                        Set.of("claim-json"), (args, context) -> {
                            String id = args.positionalsAfter(0).stream().findFirst()
                                    .orElseThrow(() -> new Args.UsageException("ID is required"));
                            return json(context.store().setClaims(id, TokenPolicies.policy(Optional.empty(),
                                    context.config().tokenMaxTtl(), args.positionalsAfter(1),
                                    args.all("claim-json"))));
                        }),
                Command.of("serviceuser set-scopes", "serviceuser set-scopes ID \"S1 S2\"",
                        "Replace the scopes a service user may be granted; \"\" clears them. Takes effect at once.",
                        Set.of(), (args, context) -> {
                            List<String> positionals = args.pair("ID", "SCOPES");
                            return json(context.store().setScopes(positionals.get(0), list(positionals.get(1))));
                        }),
                Command.of("serviceuser set-audiences", "serviceuser set-audiences ID \"URI1 URI2\"",
                        "Replace the audiences a service user's tokens may name; \"\" clears them. Takes effect at"
                                + " once.",
                        Set.of(), (args, context) -> {
                            List<String> positionals = args.pair("ID", "AUDIENCES");
                            return json(context.store().setAudiences(positionals.get(0), list(positionals.get(1))));
                        }),
                Command.of("serviceuser get", "serviceuser get ID",
                        "Show a service user, its allowed scopes and audiences, its token policy, and its credentials"
                                + " with the age and expiry of each.", Set.of(), (args, context) -> {
                            String id = args.single("ID");
                            Map<String, Object> user = json(context.store().findServiceUser(id)
                                    .orElseThrow(() -> new AdminException("no service user with id " + id)));
                            user.putAll(CredentialLifecycleCommands.details(context.store(), id));
                            return user;
                        }),
                Command.of("serviceuser disable", "serviceuser disable ID",
                        "Disable a service user: its credentials stop getting tokens at once (403).", Set.of(),
                        (args, context) -> json(context.store().setState(args.single("ID"),
                                ServiceUserState.DISABLED))),
                Command.of("serviceuser enable", "serviceuser enable ID",
                        "Enable a disabled service user again.", Set.of(),
                        (args, context) -> json(context.store().setState(args.single("ID"),
                                ServiceUserState.ENABLED))));
    }

    /**
     * A space-separated list as the operator typed it. Duplicates are refused rather than merged, so a typo shows;
     * the store checks the rest.
     */
    private static List<String> list(String text) {
        List<String> values = AccessLimits.splitList(text);
        if (values.stream().distinct().count() != values.size()) {
            throw new AdminException("a value is given twice in \"" + text + "\"");
        }
        return values;
    }

    static Map<String, Object> json(AdminStore.ServiceUser user) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("id", user.id());
        result.put("org_id", user.orgId());
        result.put("title", user.title());
        result.put("state", user.state().storedName());
        result.put("scopes", user.allowed().scopes());
        result.put("audiences", user.allowed().audiences());
        TokenPolicies.putInto(result, user.allowed().policy());
        result.put("credentials", user.credentials());
        result.put("created_at", user.createdAt());
        return result;
    }
}
