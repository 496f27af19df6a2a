package dev.tokenissuer.grant;

import dev.tokenissuer.token.TokenSubject;

import java.util.Optional;

/**
 * What one step of a token request established (client authentication, or the grant): who a token would be for, with
 * the access decided, and the single use the step recorded on the way, if any, which {@link Grants} gives back when
 * the token is not made.
 */
public record Established(TokenSubject subject, Optional<RecordedUse> use) {

    /** A step that recorded nothing. */
    public static Established of(TokenSubject subject) {
        return new Established(subject, Optional.empty());
    }
}
