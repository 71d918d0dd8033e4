package org.orderly.api.common;

/** Thrown by a command handler that refuses a command; carries the {@link Refusal}. */
public class RefusedException extends RuntimeException {

    private final transient Refusal refusal;

    public RefusedException(Refusal refusal) {
        super(refusal.message(), null, false, false);
        this.refusal = refusal;
    }

    public Refusal refusal() {
        return refusal;
    }
}
