package dev.tokenissuer.grant;

import dev.tokenissuer.token.TokenSubject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The registered grants and client authentication methods: the one list that the parser, discovery and priming
 * read, and the step that runs a request through client authentication and its grant.
 */
public final class Grants {

    private final Map<String, Grant> byType = new LinkedHashMap<>();
    private final List<ClientAuthentication> clientAuthentications;

    /**
     * @param grants                in the order discovery lists them
     * @param clientAuthentications in the order they are tried; the last one answers a request that carries no
     *                              client credentials at all
     */
    public Grants(List<Grant> grants, List<ClientAuthentication> clientAuthentications) {
        if (clientAuthentications.isEmpty()) {
            throw new IllegalArgumentException("at least one client authentication method is needed");
        }
        for (Grant grant : grants) {
            if (byType.put(grant.grantType(), grant) != null) {
                throw new IllegalArgumentException("two grants answer to " + grant.grantType());
            }
        }
        this.clientAuthentications = List.copyOf(clientAuthentications);
    }

    public List<Grant> all() {
        return List.copyOf(byType.values());
    }

    /** The grant that answers to {@code grantType}, if one is registered. */
    public Optional<Grant> find(String grantType) {
        return Optional.ofNullable(byType.get(grantType));
    }

    public List<String> grantTypes() {
        return List.copyOf(byType.keySet());
    }

    /**
     * Every parameter some grant or client authentication method reads, {@code grant_type}, {@code scope} and
     * {@code resource} too.
     */
    public Set<String> parameters() {
        Set<String> names = new LinkedHashSet<>(List.of(TokenRequest.GRANT_TYPE));
        names.addAll(RequestedAccess.PARAMETERS);
        clientAuthentications.forEach(method -> names.addAll(method.parameters()));
        byType.values().forEach(grant -> names.addAll(grant.parameters()));
        return Set.copyOf(names);
    }

    /** The parameters a request may give several times (RFC 8707's {@code resource}); all others, once. */
    public Set<String> repeatableParameters() {
        return RequestedAccess.REPEATABLE_PARAMETERS;
    }

    /** Discovery's {@code token_endpoint_auth_methods_supported}. */
    public List<String> clientAuthenticationMethods() {
        List<String> methods = new ArrayList<>();
        clientAuthentications.forEach(method -> methods.addAll(method.methods()));
        return List.copyOf(methods);
    }

    /**
     * Runs the request through its grant, authenticating the client first when the grant wants it.
     *
     * @throws OAuthException when the request earns no token
     */
    public TokenSubject authorize(TokenRequest request) {
        return authorizeAndIssue(request, Function.identity());
    }

    /**
     * Runs the request through its grant, then {@code issue} makes the token; what the grant recorded for the request
     * is taken back when that fails (see {@link Grant#authorizeAndIssue}).
     *
     * @throws OAuthException when the request earns no token
     */
    public <T> T authorizeAndIssue(TokenRequest request, Function<TokenSubject, T> issue) {
        Grant grant = byType.get(request.grantType());
        if (grant == null) {
            throw OAuthError.unsupportedGrantType().exception();
        }
        // A malformed scope or resource is refused before anything is read; the grant decides the rest.
        RequestedAccess.of(request);
        Optional<TokenSubject> client = grant.clientAuthentication() == Grant.ClientAuthenticationRule.REQUIRED
                ? Optional.of(authenticateClient(request))
                : Optional.empty();
        return grant.authorizeAndIssue(request, client, issue);
    }

    private TokenSubject authenticateClient(TokenRequest request) {
        ClientAuthentication method = clientAuthentications.stream()
                .filter(candidate -> candidate.presentIn(request))
                .findFirst()
                .orElse(clientAuthentications.get(clientAuthentications.size() - 1));
        return method.authenticate(request);
    }
}
