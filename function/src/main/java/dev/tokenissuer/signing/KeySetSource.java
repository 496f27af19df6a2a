package dev.tokenissuer.signing;

/** Loads the current {@link KeySet}; each call reads the sources again. */
@FunctionalInterface
public interface KeySetSource {

    /**
     * @throws RuntimeException when the signing key or the set cannot be read (an AWS fault, most often)
     */
    KeySet load();
}
