package org.orderly.config.retention;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One kind of data that expires, declared as a bean; {@link Retention} runs every such bean on its schedule.
 * <p>
 * A task removes only what its own domain owns, through that domain's own store (its pool and role), and only
 * what is finished: data still in use (a notification waiting to be sent, a workflow running or parked) is never
 * expired, however old. Removal that must reach every domain (a customer's personal data) goes through the
 * command that asks each domain to forget, never around it.
 */
public interface RetentionTask {

    /** The kind's name, as the operator endpoint, the metrics and the logs show it ({@code sent-notifications}). */
    String kind();

    /** How long this kind is kept; empty when it is kept for ever, and the task then never runs. */
    Optional<Duration> period();

    /**
     * Removes what expired before {@code cutoff} (now minus {@link #period()}), in transactions of at most
     * {@code batchSize} rows each, until nothing expired is left; a failure leaves the batches done so far done.
     *
     * @return how many rows were removed (or, for a kind removed by a command, how many commands succeeded)
     * @throws RetentionFailure when it fails after removing some, with their count
     */
    long removeExpired(Instant cutoff, int batchSize);

    /** What a task does, when the kind and period are known apart from it. */
    @FunctionalInterface
    interface Removal {
        long removeExpired(Instant cutoff, int batchSize);
    }

    /**
     * A task from its parts; e.g. the audit log's:
     * {@code RetentionTask.of(RetentionProperties.AUDIT_ENTRIES, retention.auditEntriesPeriod(), (cutoff, batch) ->
     * audit.removeEntriesBefore(cutoff))}.
     */
    static RetentionTask of(String kind, Optional<Duration> period, Removal removal) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(removal, "removal");
        return new RetentionTask() {
            @Override
            public String kind() {
                return kind;
            }

            @Override
            public Optional<Duration> period() {
                return period;
            }

            @Override
            public long removeExpired(Instant cutoff, int batchSize) {
                return removal.removeExpired(cutoff, batchSize);
            }

            @Override
            public String toString() {
                return "RetentionTask[" + kind + "]";
            }
        };
    }
}
