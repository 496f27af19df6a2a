package dev.tokenissuer.admin;

import dev.tokenissuer.http.JsonValues;
import dev.tokenissuer.store.CredentialIds;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a Secrets Manager secret of this project holds: {@code {"client_id", "client_secret", "token_endpoint"}}, the
 * three things a client needs to get tokens. Written by {@code tokenctl secret create --to-secrets-manager} and the
 * rotation function, read by consumers (the SDK, or the Parameters and Secrets Lambda extension) and by rotation,
 * which refuses a secret that holds anything else.
 */
public record ClientSecretDocument(String clientId, String clientSecret, String tokenEndpoint) {

    public static final Set<String> MEMBERS = Set.of("client_id", "client_secret", "token_endpoint");

    /** The document {@code json} holds, if it is exactly this project's: three string members, a UUID client id. */
    public static Optional<ClientSecretDocument> parse(String json) {
        if (json == null) {
            return Optional.empty();
        }
        Object value;
        try {
            value = JsonValues.read(json.getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        if (!(value instanceof Map<?, ?> members) || !members.keySet().equals(MEMBERS)
                || !members.values().stream().allMatch(member -> member instanceof String text && !text.isBlank())) {
            return Optional.empty();
        }
        String clientId = (String) members.get("client_id");
        if (!CredentialIds.normalize(clientId).map(clientId::equals).orElse(false)) {
            return Optional.empty();
        }
        return Optional.of(new ClientSecretDocument(clientId, (String) members.get("client_secret"),
                (String) members.get("token_endpoint")));
    }

    public String toJson() {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("client_id", clientId);
        members.put("client_secret", clientSecret);
        members.put("token_endpoint", tokenEndpoint);
        return JsonValues.write(members);
    }

    /** The token endpoint of a deployment whose API is at {@code baseUrl}. */
    public static String tokenEndpoint(URI baseUrl) {
        return baseUrl.toString().replaceAll("/+$", "") + dev.tokenissuer.http.Endpoints.TOKEN_PATH;
    }

    @Override
    public String toString() {
        return "ClientSecretDocument[clientId=" + clientId + ", tokenEndpoint=" + tokenEndpoint + "]";
    }
}
