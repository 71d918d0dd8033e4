package org.orderly.config.privacy;

/** Personal data was about to be sealed for a subject who was erased: none is kept for them any more. */
public final class SubjectErasedException extends IllegalStateException {

    public SubjectErasedException(String subject) {
        super("Subject " + subject + " was erased: no personal data is kept for it");
    }
}
