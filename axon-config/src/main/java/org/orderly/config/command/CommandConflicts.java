package org.orderly.config.command;

import java.sql.SQLException;
import java.util.List;
import java.util.Set;

import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;

/**
 * Which failures of a command are conflicts with another command on the same aggregate that committed first, on this
 * node or another: the event store refusing the aggregate's next sequence number ({@link ConcurrencyException}) or
 * its first one ({@link AggregateStreamCreationException}), or PostgreSQL aborting the transaction as a deadlock's
 * victim or a serialization failure. Each of them rolled the command's whole transaction back, so the command wrote
 * nothing, and sending it again has it decided afresh on the state that won.
 * <p>
 * A command naming the version it expects ({@code If-Match}) is no exception: its version is checked again as the
 * aggregate is loaded again, and a version passed is a {@code ConflictingAggregateVersionException}, a refusal that
 * is not a conflict of this kind and is never retried.
 */
public final class CommandConflicts {

    /** SQLSTATEs of a transaction PostgreSQL aborted because of another one: serialization failure, deadlock. */
    private static final Set<String> ABORTED_FOR_ANOTHER = Set.of("40001", "40P01");

    private CommandConflicts() {
    }

    /** Whether {@code failure}, or anything it wraps, is a conflict with a command that committed first. */
    public static boolean isConflict(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof ConcurrencyException || cause instanceof AggregateStreamCreationException) {
                return true;
            }
            if (cause instanceof SQLException sql && ABORTED_FOR_ANOTHER.contains(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code failure} is only the refusal of an aggregate's first event: the aggregate exists. A command that
     * creates the aggregate if missing finds it on a retry and decides on it; a command that only creates it finds it
     * taken again, and no retry changes that.
     */
    public static boolean isStreamCreation(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof AggregateStreamCreationException) {
                return true;
            }
        }
        return false;
    }

    /** How many of the failures Axon recorded (each as its chain of exception types) were stream creations. */
    static long streamCreations(List<Class<? extends Throwable>[]> failures) {
        return failures.stream().filter(chain -> java.util.Arrays.stream(chain)
                .anyMatch(AggregateStreamCreationException.class::isAssignableFrom)).count();
    }
}
