package dev.tokenissuer.grant;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The single uses one token request recorded on its way (a client assertion's, an assertion's, a DPoP proof's
 * {@code jti}), in the order they were written: the endpoint gives them all back in one place when the request's
 * token is not made, refused by a later step or failed while issuing. One per request, on the request's thread.
 */
public final class RecordedUses {

    private final List<RecordedUse> uses = new ArrayList<>();

    void add(Optional<RecordedUse> use) {
        use.ifPresent(uses::add);
    }

    /** What was recorded so far, in order. */
    public List<RecordedUse> list() {
        return List.copyOf(uses);
    }

    /**
     * Gives back every recorded use, because the token was not made ({@code cause}): a client's retry of a request we
     * failed, or refused later for another reason, is not refused for having been tried. A use that cannot be given
     * back stays spent; its failure is added to {@code cause}, which stays the answer.
     */
    public void releaseAfter(Throwable cause) {
        uses.forEach(use -> use.releaseAfter(cause));
        uses.clear();
    }
}
