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

    /**
     * Creates, in one go, the keys of these subjects that have none yet, ahead of an append whose events will be
     * sealed with them (a group commit's many registrations: one insert and one commit instead of one each). A
     * subject erased, or given a key elsewhere meanwhile, ends as {@link #keyForWriting} would leave it. Only a hint.
     */
    default void prepareForWriting(java.util.Collection<String> subjects) {
    }
}
