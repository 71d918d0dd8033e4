package org.orderly.config.command;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;

/**
 * Sends one command for a saga and waits for it, so that the saga decides on the outcome in the same
 * handler: done, already done, refused (with the refusal's kind) or failed. Every command a saga sends is
 * idempotent, so sending it again after a crash or a retry is always safe. Shared by every saga: domain
 * packages may not share code with each other, so it lives with the command-side infrastructure.
 * <p>
 * A saga handler runs inside its processor's unit of work (a whole batch of events, one transaction). A
 * command sent straight from there would run in a unit of work nested in it, and Axon releases a nested
 * unit of work's aggregate locks, and appends its events, only when the outer one ends: the aggregate
 * (often a hot one, the stock of a popular product) would stay locked through the rest of the batch, the
 * saga store writes and their commit, and its events would cost the batch a second event-store
 * connection. So a command sent from within a unit of work runs in a unit of work of its own, on a
 * dispatcher thread, while the saga waits for it: it commits (events and all) and unlocks its aggregate
 * before the saga goes on. The message is built on the saga's thread, so it carries the saga's
 * correlation data. A saga whose batch then fails sends the command again, which is safe.
 */
public final class SagaCommand {

    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    public enum Outcome { DONE, ALREADY_EXISTS, NOT_FOUND, CONFLICT, REFUSED, FAILED }

    /**
     * @param value what the command handler returned, when it answered something (a repeated command may
     *              answer with the outcome its first delivery had)
     */
    public record Result(Outcome outcome, String error, Object value) {

        public Result(Outcome outcome, String error) {
            this(outcome, error, null);
        }

        public boolean done() {
            return outcome == Outcome.DONE;
        }
    }

    /** Runs the commands of sagas in units of work of their own; a caller waits, so threads = callers. */
    private static final ExecutorService DISPATCHER = Executors.newCachedThreadPool(dispatcherThreads());

    private SagaCommand() {
    }

    public static Result send(CommandGateway commands, Object command) {
        try {
            Object value = CurrentUnitOfWork.isStarted()
                    ? sendOutside(commands, GenericCommandMessage.asCommandMessage(command))
                    : commands.sendAndWait(command, TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return new Result(Outcome.DONE, null, value);
        } catch (RuntimeException e) {
            return outcomeOf(e);
        }
    }

    private static Result outcomeOf(RuntimeException failure) {
        if (createdBefore(failure)) {
            // A creation command sent again: the aggregate exists, which is what the first one achieved.
            return new Result(Outcome.ALREADY_EXISTS, null);
        }
        if (failure instanceof CommandExecutionException e) {
            Refusal refusal = e.getDetails().filter(Refusal.class::isInstance).map(Refusal.class::cast).orElse(null);
            if (refusal == null) {
                return new Result(Outcome.FAILED, describe(e));
            }
            return new Result(switch (refusal.kind()) {
                case NOT_FOUND -> Outcome.NOT_FOUND;
                case CONFLICT -> Outcome.CONFLICT;
                case UNAVAILABLE -> Outcome.FAILED;
                default -> Outcome.REFUSED;
            }, refusal.message());
        }
        if (failure instanceof RefusedException e) {
            return new Result(e.refusal().kind() == Refusal.Kind.NOT_FOUND ? Outcome.NOT_FOUND : Outcome.REFUSED,
                    e.getMessage());
        }
        if (failure instanceof AggregateNotFoundException) {
            return new Result(Outcome.NOT_FOUND, describe(failure));
        }
        return new Result(Outcome.FAILED, describe(failure));
    }

    /**
     * Whether {@code failure}, or anything it wraps (a {@code CommandExecutionException}, an
     * {@code EventStoreException} from the append, ...), is the event store refusing to create a stream that
     * exists: Axon's {@link AggregateStreamCreationException}, or its "Cannot reuse aggregate identifier"
     * when the refusal reaches the sender only as a message.
     */
    static boolean createdBefore(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof AggregateStreamCreationException
                    || String.valueOf(cause.getMessage()).contains("Cannot reuse aggregate identifier")) {
                return true;
            }
        }
        return false;
    }

    /** Sends {@code message} from a thread with no unit of work and waits for it; its failure is rethrown as is. */
    private static Object sendOutside(CommandGateway commands, CommandMessage<?> message) {
        Future<Object> sent = DISPATCHER.submit(
                () -> commands.sendAndWait(message, TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        try {
            return sent.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for " + message.getCommandName(), e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }

    private static java.util.concurrent.ThreadFactory dispatcherThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "saga-command-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
