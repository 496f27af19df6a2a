package dev.tokenissuer.token;

import java.util.List;

/**
 * What a token grants beyond who it is for: its scopes (the {@code scope} claim and the response's {@code scope})
 * and the resources it is meant for (its {@code aud}). Both empty, a token is exactly a Frontier token.
 *
 * @param scopes    the granted scope tokens, in the order the client asked for them
 * @param audiences the resources the client named (RFC 8707); empty means the configured audience, if any
 */
public record GrantedAccess(List<String> scopes, List<String> audiences) {

    public static final GrantedAccess NONE = new GrantedAccess(List.of(), List.of());

    public GrantedAccess {
        scopes = List.copyOf(scopes);
        audiences = List.copyOf(audiences);
    }

    /** The {@code scope} claim's and response member's value (RFC 6749 §3.3): the scopes, space-delimited. */
    public String scope() {
        return String.join(" ", scopes);
    }
}
