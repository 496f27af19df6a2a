package dev.tokenissuer.admin;

import dev.tokenissuer.store.ServiceUserState;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code tokenctl serviceuser ...}: the principals tokens are issued to. */
final class ServiceUserCommands {

    private ServiceUserCommands() {
    }

    static List<Command> all() {
        return List.of(
                Command.of("serviceuser create", "serviceuser create --org ORG_ID --title TITLE",
                        "Create an enabled service user in an organization.", Set.of("org", "title"),
                        (args, context) -> {
                            args.none();
                            return json(context.store().createServiceUser(args.required("org"),
                                    args.required("title")));
                        }),
                Command.of("serviceuser get", "serviceuser get ID",
                        "Show a service user and the ids of its credentials.", Set.of(), (args, context) -> {
                            String id = args.single("ID");
                            return json(context.store().findServiceUser(id)
                                    .orElseThrow(() -> new AdminException("no service user with id " + id)));
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

    static Map<String, Object> json(AdminStore.ServiceUser user) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("id", user.id());
        result.put("org_id", user.orgId());
        result.put("title", user.title());
        result.put("state", user.state().storedName());
        result.put("credentials", user.credentials());
        result.put("created_at", user.createdAt());
        return result;
    }
}
