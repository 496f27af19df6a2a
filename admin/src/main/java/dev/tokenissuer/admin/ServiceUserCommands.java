package dev.tokenissuer.admin;

import dev.tokenissuer.grant.AccessLimits;
import dev.tokenissuer.store.AllowedAccess;
import dev.tokenissuer.store.ServiceUserState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code tokenctl serviceuser ...}: the principals tokens are issued to. */
@Command(name = "serviceuser", synopsisSubcommandLabel = "COMMAND",
        description = "Service users: the principals tokens are issued to.")
final class ServiceUserCommands {

    private final TokenCtl tokenctl;

    ServiceUserCommands(TokenCtl tokenctl) {
        this.tokenctl = tokenctl;
    }

    @Command(name = "create", description = "Create an enabled service user in an organization, optionally allowed "
            + "scopes (RFC 6749 §3.3) and audiences (absolute URIs a token request may name as resource).")
    Map<String, Object> create(
            @Option(names = "--org", required = true, paramLabel = "ORG_ID") String org,
            @Option(names = "--title", required = true, paramLabel = "TITLE") String title,
            @Option(names = "--scopes", paramLabel = "\"S1 S2\"", defaultValue = "",
                    description = "The scopes it may be granted, space-separated.") String scopes,
            @Option(names = "--audiences", paramLabel = "\"URI1 URI2\"", defaultValue = "",
                    description = "The audiences its tokens may name, space-separated.") String audiences,
            @Option(names = "--token-lifetime", paramLabel = "SECONDS",
                    description = "Its tokens' lifetime, at most TOKEN_MAX_TTL_SECONDS.") String tokenLifetime,
            @Option(names = "--claim", paramLabel = "NAME=VALUE",
                    description = "A static string claim in every token (repeatable).") List<String> claims,
            @Option(names = "--claim-json", paramLabel = "NAME=JSON",
                    description = "A static JSON-valued claim in every token (repeatable).") List<String> jsonClaims) {
        Options.given("--org", org);
        Options.given("--title", title);
        AllowedAccess allowed = new AllowedAccess(list(scopes), list(audiences),
                TokenPolicies.policy(Optional.ofNullable(tokenLifetime), tokenctl.context().config().tokenMaxTtl(),
                        orNone(claims), orNone(jsonClaims)));
        return json(tokenctl.context().store().createServiceUser(org, title, allowed));
    }

    @Command(name = "set-token-lifetime", description = "Set a service user's token lifetime (60 to "
            + "TOKEN_MAX_TTL_SECONDS); \"\" returns it to the deployment's. Takes effect on the next token.")
    Map<String, Object> setTokenLifetime(@Parameters(index = "0", paramLabel = "ID") String id,
                                         @Parameters(index = "1", paramLabel = "SECONDS") String seconds) {
        return json(tokenctl.context().store().setTokenLifetime(id, TokenPolicies.policy(
                Optional.of(seconds).filter(value -> !value.isBlank()), tokenctl.context().config().tokenMaxTtl(),
                List.of(), List.of())));
    }

    @Command(name = "set-claims", description = "Replace the static claims of a service user's tokens (strings, or "
            + "JSON values with --claim-json); none clears them. Takes effect on the next token.")
    Map<String, Object> setClaims(@Parameters(index = "0", paramLabel = "ID") String id,
                                  @Parameters(index = "1..*", paramLabel = "NAME=VALUE") List<String> claims,
                                  @Option(names = "--claim-json", paramLabel = "NAME=JSON") List<String> jsonClaims) {
        return json(tokenctl.context().store().setClaims(id, TokenPolicies.policy(Optional.empty(),
                tokenctl.context().config().tokenMaxTtl(), orNone(claims), orNone(jsonClaims))));
    }

    @Command(name = "list", description = "List service users, a page at a time (next_page_token continues): with "
            + "--org a query of that org's, without it a scan of the org index (never of the table).")
    Map<String, Object> listServiceUsers(
            @Option(names = "--org", paramLabel = "ORG_ID") String org,
            @Option(names = "--state", paramLabel = "enabled|disabled") String state,
            @Option(names = "--page-size", paramLabel = "N") Integer pageSize,
            @Option(names = "--page-token", paramLabel = "T") String pageToken) {
        Optional<ServiceUserState> wanted = Optional.ofNullable(state).map(value -> switch (value) {
            case "enabled" -> ServiceUserState.ENABLED;
            case "disabled" -> ServiceUserState.DISABLED;
            default -> throw new IllegalArgumentException("--state is enabled or disabled");
        });
        AdminContext context = tokenctl.context();
        ServiceUserDirectory.Page page = new ServiceUserDirectory(context.dynamo(), context.config().tableName())
                .list(Optional.ofNullable(org), wanted,
                        pageSize == null ? ServiceUserDirectory.DEFAULT_PAGE_SIZE : pageSize,
                        Optional.ofNullable(pageToken));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("service_users", page.serviceUsers().stream().map(ServiceUserCommands::json).toList());
        result.put("next_page_token", page.nextPageToken().orElse(null));
        return result;
    }

    private static List<String> orNone(List<String> values) {
        return values == null ? List.of() : values;
    }

    @Command(name = "set-scopes", description = "Replace the scopes a service user may be granted; \"\" clears them. "
            + "Takes effect at once.")
    Map<String, Object> setScopes(@Parameters(index = "0", paramLabel = "ID") String id,
                                  @Parameters(index = "1", paramLabel = "SCOPES",
                                          description = "Space-separated; \"\" for none.") String scopes) {
        return json(tokenctl.context().store().setScopes(id, list(scopes)));
    }

    @Command(name = "set-audiences", description = "Replace the audiences a service user's tokens may name; \"\" "
            + "clears them. Takes effect at once.")
    Map<String, Object> setAudiences(@Parameters(index = "0", paramLabel = "ID") String id,
                                     @Parameters(index = "1", paramLabel = "AUDIENCES",
                                             description = "Space-separated URIs; \"\" for none.") String audiences) {
        return json(tokenctl.context().store().setAudiences(id, list(audiences)));
    }

    @Command(name = "get", description = "Show a service user, its allowed scopes and audiences, its token policy, "
            + "and its credentials with the age and expiry of each.")
    Map<String, Object> get(@Parameters(paramLabel = "ID") String id) {
        AdminStore store = tokenctl.context().store();
        Map<String, Object> user = json(store.findServiceUser(id)
                .orElseThrow(() -> new AdminException("no service user with id " + id)));
        user.putAll(CredentialListings.details(store, id));
        return user;
    }

    @Command(name = "disable", description = "Disable a service user: its credentials stop getting tokens at once "
            + "(403).")
    Map<String, Object> disable(@Parameters(paramLabel = "ID") String id) {
        return json(tokenctl.context().store().setState(id, ServiceUserState.DISABLED));
    }

    @Command(name = "enable", description = "Enable a disabled service user again.")
    Map<String, Object> enable(@Parameters(paramLabel = "ID") String id) {
        return json(tokenctl.context().store().setState(id, ServiceUserState.ENABLED));
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
