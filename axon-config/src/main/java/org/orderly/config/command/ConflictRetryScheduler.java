package org.orderly.config.command;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import javax.annotation.Nonnull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.gateway.RetryScheduler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command gateway's {@link RetryScheduler}: a command that lost a conflict ({@link CommandConflicts}) is sent
 * again, up to {@code orderly.commands.conflict-retries} times, after a short randomised pause; every other failure
 * is answered at once. The retry is the whole command once more: the aggregate is loaded afresh from the event store
 * (there is no cache of aggregates to go stale), and its handler decides on the state that won, so that a
 * reservation which found no stock may find some, and a command naming the version it expects is refused by Axon's
 * version check instead of being applied past that version. What is left after the retries is answered as the
 * conflict it is (409).
 * <p>
 * The retry runs on the sender's own thread, before the sender gets its answer, not on a scheduler's thread as
 * Axon's interval schedulers would: the sender waits for the answer anyway (an HTTP request, a saga step), and its
 * thread carries the request's caller, whom {@code ActorPropagation} puts into the command again as it is dispatched
 * again; from a scheduler's thread the retry would be sent as the system. A command sent inside another unit of work
 * is not retried: its events are appended only when that unit commits, so a conflict it meets is the enclosing
 * unit's to retry, as a whole.
 * <p>
 * A command that only creates its aggregate, and finds it exists, is tried once more only: a command that creates
 * the aggregate when missing finds it then and decides on it, one that only creates it finds it taken again.
 */
public class ConflictRetryScheduler implements RetryScheduler {

    private static final Logger log = LoggerFactory.getLogger(ConflictRetryScheduler.class);
    static final String METER = "orderly.commands.conflicts";

    private final int maxRetries;
    private final long backoffMillis;
    private final long maxBackoffMillis;
    private final Counter conflicted;
    private final Counter retried;
    private final Counter refused;

    public ConflictRetryScheduler(CommandProperties properties, MeterRegistry meters) {
        this.maxRetries = properties.conflictRetries();
        this.backoffMillis = properties.conflictBackoff().toMillis();
        this.maxBackoffMillis = properties.conflictMaxBackoff().toMillis();
        this.conflicted = counter(meters, "conflicted", "Commands that lost a conflict with another command at least once");
        this.retried = counter(meters, "retried", "Commands sent again after losing a conflict");
        this.refused = counter(meters, "refused", "Commands answered as a conflict: still losing after their retries");
    }

    private static Counter counter(MeterRegistry meters, String outcome, String description) {
        return Counter.builder(METER).tag("outcome", outcome).description(description).register(meters);
    }

    @Override
    public boolean scheduleRetry(@Nonnull CommandMessage commandMessage, @Nonnull RuntimeException lastFailure,
                                 @Nonnull List<Class<? extends Throwable>[]> failures, @Nonnull Runnable dispatchTask) {
        if (!CommandConflicts.isConflict(lastFailure) || CurrentUnitOfWork.isStarted()) {
            return false;
        }
        int conflicts = failures.size(); // every failure before this one was a conflict too, or it was not retried
        if (conflicts == 1) {
            conflicted.increment();
        }
        if (conflicts > maxRetries || CommandConflicts.streamCreations(failures) > 1) {
            refused.increment();
            log.info("Command {} lost a conflict {} times; answered as a conflict",
                    commandMessage.getPayloadType().getSimpleName(), conflicts);
            return false;
        }
        try {
            Thread.sleep(pauseBefore(conflicts));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            refused.increment();
            return false;
        }
        retried.increment();
        log.debug("Command {} lost a conflict; sending it again (retry {} of {})",
                commandMessage.getPayloadType().getSimpleName(), conflicts, maxRetries);
        dispatchTask.run(); // its answer, or its next conflict, reaches the sender through the same callback
        return true;
    }

    /** Milliseconds before retry {@code n} (from 1): half to all of the doubled backoff, at most the maximum. */
    long pauseBefore(int n) {
        long ceiling = Math.min(maxBackoffMillis, backoffMillis << Math.min(n - 1, 20));
        return ceiling <= 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1);
    }
}
