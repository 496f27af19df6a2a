package dev.tokenissuer.grant;

import dev.tokenissuer.store.AllowedAccess;
import dev.tokenissuer.token.GrantedAccess;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The scopes and resources a token request asks for, and the one decision of what it gets, common to every grant.
 * {@link #of} checks the syntax and needs no I/O, so {@link Grants} runs it once, before anything is read;
 * {@link #decide} holds the request to the credential's allowed sets once the grant has read them, before the grant
 * records anything (a jwt-bearer assertion's use), so a refused request spends nothing.
 *
 * <p>The audiences a token may name are the service user's allowed audiences and the server's default audience
 * ({@code TOKEN_AUDIENCE}), which every service user has: a token asked for no resource names the default audience,
 * and a {@code resource} naming one of the default audience's values is granted like an allowed one. So every
 * {@code aud} a token carries was allowed, by the operator per service user or by the deployment for all.
 *
 * @param scopes          the scope tokens asked for (RFC 6749 §3.3); empty when {@code scope} is absent
 * @param resources       the resources asked for (RFC 8707 §2), in order
 * @param defaultAudience the server's default audience ({@code TOKEN_AUDIENCE}), empty when none is configured
 */
public record RequestedAccess(List<String> scopes, List<String> resources, List<String> defaultAudience) {

    /** The parameters every grant reads for this, besides its own; {@code resource} may be repeated. */
    public static final Set<String> PARAMETERS = Set.of(TokenRequest.SCOPE, TokenRequest.RESOURCE);
    public static final Set<String> REPEATABLE_PARAMETERS = Set.of(TokenRequest.RESOURCE);

    /**
     * What a client asks of its own credential when it only authenticates beside a grant that names the token's
     * subject itself (jwt-bearer): nothing in particular, so the client's allowed sets refuse nothing.
     */
    static final RequestedAccess NOTHING_IN_PARTICULAR = new RequestedAccess(List.of(), List.of(), List.of());

    public RequestedAccess {
        scopes = List.copyOf(scopes);
        resources = List.copyOf(resources);
        defaultAudience = List.copyOf(defaultAudience);
    }

    /**
     * What {@code request} asks for, its syntax checked.
     *
     * @param defaultAudience the server's default audience, granted when no resource is asked for
     * @throws OAuthException {@code invalid_scope} for a malformed scope list (characters, separators, duplicates,
     *                        too many or too long), {@code invalid_target} for a malformed resource list (not an
     *                        absolute URI, a fragment, empty, duplicates, too many or too long)
     */
    public static RequestedAccess of(TokenRequest request, List<String> defaultAudience) {
        List<String> scopes = request.parameter(TokenRequest.SCOPE).map(RequestedAccess::scopeTokens).orElse(List.of());
        AccessLimits.whyNotScopes(scopes).ifPresent(reason -> {
            throw OAuthError.invalidScope("scope is malformed: " + reason).exception();
        });
        List<String> resources = request.parameterValues(TokenRequest.RESOURCE);
        AccessLimits.whyNotAudiences(resources).ifPresent(reason -> {
            throw OAuthError.invalidTarget("resource is malformed: " + reason.replace("audience", "resource"))
                    .exception();
        });
        return new RequestedAccess(scopes, resources, defaultAudience);
    }

    /**
     * What the token grants, given what the client's service user is allowed: the scopes asked for, or all allowed
     * ones when none were; the resources asked for, each of which must be allowed or a default audience, or the
     * default audience when none were; the service user's token policy.
     *
     * @throws OAuthException {@code invalid_scope} or {@code invalid_target} when something asked for is not allowed
     */
    public GrantedAccess decide(AllowedAccess allowed) {
        if (!allowed.scopes().containsAll(scopes)) {
            throw OAuthError.invalidScope("a requested scope is not allowed for this client").exception();
        }
        for (String resource : resources) {
            if (!allowed.audiences().contains(resource) && !defaultAudience.contains(resource)) {
                throw OAuthError.invalidTarget("a requested resource is not allowed for this client").exception();
            }
        }
        return new GrantedAccess(scopes.isEmpty() ? allowed.scopes() : scopes,
                resources.isEmpty() ? defaultAudience : resources, allowed.policy());
    }

    /** RFC 6749 §3.3: tokens separated by single spaces; an empty token (two spaces, one at an end) is malformed. */
    private static List<String> scopeTokens(String scope) {
        return List.of(scope.split(" ", -1));
    }
}
