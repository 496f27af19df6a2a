package dev.tokenissuer.api;

import dev.tokenissuer.grant.RefusalReason;

import java.util.Optional;

/**
 * A failed request as the client is answered ({@code error}) and as operators are told it: the reason code, and the
 * AWS service at fault when it was one.
 */
public record Failure(ApiError error, RefusalReason reason, Optional<Dependency> dependency) {

    static Failure of(ApiError error, RefusalReason reason) {
        return new Failure(error, reason, Optional.empty());
    }
}
