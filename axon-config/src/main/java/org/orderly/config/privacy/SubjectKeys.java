package org.orderly.config.privacy;

import java.util.Optional;

import javax.crypto.SecretKey;

/**
 * The data keys of data subjects: one AES-256 key per subject, created the first time personal data of the
 * subject is written, gone for good once the subject is erased.
 */
public interface SubjectKeys {

    /** The subject's key, created now if the subject has none yet; {@link SubjectErasedException} for an erased one. */
    SecretKey keyForWriting(String subject);

    /** The subject's key, or empty when the subject never had one or was erased. */
    Optional<SecretKey> keyForReading(String subject);

    /** Deletes the subject's key and records the erasure; repeating it changes nothing. */
    void erase(String subject);

    /** Whether the subject was erased. */
    boolean isErased(String subject);

    /**
     * Makes the keys of these subjects ready for reading, in one go, ahead of a batch of events that need them (a
     * replay reads a million customers' keys; one query per batch instead of one per event). Only a hint.
     */
    default void prefetch(java.util.Collection<String> subjects) {
    }
}
