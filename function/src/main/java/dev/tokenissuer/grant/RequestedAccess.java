package dev.tokenissuer.grant;

import dev.tokenissuer.store.AllowedAccess;
import dev.tokenissuer.token.GrantedAccess;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The scopes and resources a token request asks for, and the one decision of what it gets, common to every grant.
 * {@link #of} checks the syntax and needs no I/O, so {@link Grants} runs it before anything is read; {@link #decide}
 * holds the request to the credential's allowed sets once the grant has read them, before the grant records anything
 * (a jwt-bearer assertion's use), so a refused request spends nothing.
 *
 * @param scopes    the scope tokens asked for (RFC 6749 §3.3); empty when {@code scope} is absent
 * @param resources the resources asked for (RFC 8707 §2), in order
 */
public record RequestedAccess(List<String> scopes, List<String> resources) {

    /** The parameters every grant reads for this, besides its own; {@code resource} may be repeated. */
    public static final Set<String> PARAMETERS = Set.of(TokenRequest.SCOPE, TokenRequest.RESOURCE);
    public static final Set<String> REPEATABLE_PARAMETERS = Set.of(TokenRequest.RESOURCE);

    public RequestedAccess {
        scopes = List.copyOf(scopes);
        resources = List.copyOf(resources);
    }

    /**
     * What {@code request} asks for, its syntax checked.
     *
     * @throws OAuthException {@code invalid_scope} for a malformed scope list (characters, separators, duplicates,
     *                        too many or too long), {@code invalid_target} for a malformed resource list (not an
     *                        absolute URI, a fragment, empty, duplicates, too many or too long)
     */
    public static RequestedAccess of(TokenRequest request) {
        List<String> scopes = request.parameter(TokenRequest.SCOPE).map(RequestedAccess::scopeTokens).orElse(List.of());
        AccessLimits.whyNotScopes(scopes).ifPresent(reason -> {
            throw OAuthError.invalidScope("scope is malformed: " + reason).exception();
        });
        List<String> resources = request.parameterValues(TokenRequest.RESOURCE);
        AccessLimits.whyNotAudiences(resources).ifPresent(reason -> {
            throw OAuthError.invalidTarget("resource is malformed: " + reason.replace("audience", "resource"))
                    .exception();
        });
        return new RequestedAccess(scopes, resources);
    }

    /**
     * What the token grants, given what the client's service user is allowed: the scopes asked for, or all allowed
     * ones when none were; the resources asked for, each of which must be allowed; the service user's token policy.
     *
     * @throws OAuthException {@code invalid_scope} or {@code invalid_target} when something asked for is not allowed
     */
    public GrantedAccess decide(AllowedAccess allowed) {
        if (!allowed.scopes().containsAll(scopes)) {
            throw OAuthError.invalidScope("a requested scope is not allowed for this client").exception();
        }
        if (!allowed.audiences().containsAll(resources)) {
            throw OAuthError.invalidTarget("a requested resource is not allowed for this client").exception();
        }
        return new GrantedAccess(scopes.isEmpty() ? allowed.scopes() : scopes, resources, allowed.policy());
    }

    /** RFC 6749 §3.3: tokens separated by single spaces; an empty token (two spaces, one at an end) is malformed. */
    private static List<String> scopeTokens(String scope) {
        return List.of(scope.split(" ", -1));
    }
}
