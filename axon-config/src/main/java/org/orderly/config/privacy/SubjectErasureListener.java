package org.orderly.config.privacy;

/**
 * Platform stores that keep a subject's personal data outside any domain (the {@code Idempotency-Key} answers)
 * and forget it when the subject's key is deleted: at the erasure, and again when the erasure ledger re-erases a
 * subject a restore brought back. Domains forget theirs on {@code CustomerErasedEvent} instead.
 */
public interface SubjectErasureListener {

    /** Forgets what this store keeps of the subject; repeating it changes nothing. */
    void erased(String subject);
}
