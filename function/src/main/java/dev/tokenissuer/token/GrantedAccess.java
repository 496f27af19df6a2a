package dev.tokenissuer.token;

import dev.tokenissuer.store.TokenPolicy;

import java.util.List;

/**
 * What a token grants beyond who it is for: its scopes (the {@code scope} claim and the response's {@code scope})
 * and the resources it is meant for (its {@code aud}). Both empty, a token is exactly a Frontier token.
 *
 * @param scopes    the granted scope tokens, in the order the client asked for them
 * @param audiences the resources the client named (RFC 8707); empty means the configured audience, if any
 * @param policy    the service user's token lifetime and static claims (see {@link CustomClaims})
 */
public record GrantedAccess(List<String> scopes, List<String> audiences, TokenPolicy policy) {

    public static final GrantedAccess NONE = new GrantedAccess(List.of(), List.of());

    public GrantedAccess {
        scopes = List.copyOf(scopes);
        audiences = List.copyOf(audiences);
        java.util.Objects.requireNonNull(policy, "policy");
    }

    /** Scopes and audiences under the deployment's token policy. */
    public GrantedAccess(List<String> scopes, List<String> audiences) {
        this(scopes, audiences, TokenPolicy.NONE);
    }

    /** The {@code scope} claim's and response member's value (RFC 6749 §3.3): the scopes, space-delimited. */
    public String scope() {
        return String.join(" ", scopes);
    }
}
