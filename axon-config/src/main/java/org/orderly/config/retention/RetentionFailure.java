package org.orderly.config.retention;

/** A retention task that failed after removing some rows: those count, and the failure is still reported. */
public class RetentionFailure extends RuntimeException {

    private final long removed;

    public RetentionFailure(String message, Throwable cause, long removed) {
        super(message, cause);
        this.removed = removed;
    }

    /** How many rows were removed before the failure. */
    public long removed() {
        return removed;
    }
}
