package dev.tokenissuer.admin;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code tokenctl secret ...}: client secrets for the client_credentials grant. */
@Command(name = "secret", synopsisSubcommandLabel = "COMMAND",
        description = "Client secrets, for the client_credentials grant.")
final class SecretCommands {

    private final TokenCtl tokenctl;

    SecretCommands(TokenCtl tokenctl) {
        this.tokenctl = tokenctl;
    }

    @Command(name = "create", description = "Create a client secret. The secret is printed once and stored only as "
            + "a hash.")
    Map<String, Object> create(@Parameters(paramLabel = "SERVICEUSER_ID") String serviceUserId,
                               @Option(names = "--title", paramLabel = "TITLE", defaultValue = "") String title) {
        AdminStore.NewSecret secret = tokenctl.context().store().createSecret(serviceUserId, title);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("client_id", secret.clientId());
        result.put("client_secret", secret.clientSecret());
        result.put("service_user_id", secret.serviceUserId());
        result.put("title", secret.title());
        result.put("created_at", secret.createdAt());
        return result;
    }

    @Command(name = "delete", description = "Delete a client secret; it stops working at once.")
    Map<String, Object> delete(@Parameters(paramLabel = "CLIENT_ID") String clientId) {
        return Map.of("client_id", tokenctl.context().store().deleteSecret(clientId), "deleted", true);
    }
}
