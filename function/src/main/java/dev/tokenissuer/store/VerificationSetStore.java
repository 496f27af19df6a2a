package dev.tokenissuer.store;

/** Where the function reads the verification set. Read-only: {@code tokenctl} writes it. */
public interface VerificationSetStore {

    /** One read: the set as stored, {@link VerificationSet#EMPTY} when there is no item yet. */
    VerificationSet read();
}
