package org.orderly.config.command;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;

/**
 * Sends one command for a saga and waits for it, so that the saga decides on the outcome in the same
 * handler: done, already done, refused (with the refusal's kind) or failed. Every command a saga sends is
 * idempotent, so sending it again after a crash or a retry is always safe. Shared by every saga: domain
 * packages may not share code with each other, so it lives with the command-side infrastructure.
 */
public final class SagaCommand {

    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    public enum Outcome { DONE, ALREADY_EXISTS, NOT_FOUND, CONFLICT, REFUSED, FAILED }

    public record Result(Outcome outcome, String error) {
        public boolean done() {
            return outcome == Outcome.DONE;
        }
    }

    private SagaCommand() {
    }

    public static Result send(CommandGateway commands, Object command) {
        try {
            commands.sendAndWait(command, TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return new Result(Outcome.DONE, null);
        } catch (CommandExecutionException e) {
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
        } catch (RefusedException e) {
            return new Result(e.refusal().kind() == Refusal.Kind.NOT_FOUND ? Outcome.NOT_FOUND : Outcome.REFUSED,
                    e.getMessage());
        } catch (AggregateStreamCreationException e) {
            // A creation command sent again: the aggregate exists, which is what the first one achieved.
            return new Result(Outcome.ALREADY_EXISTS, null);
        } catch (AggregateNotFoundException e) {
            return new Result(Outcome.NOT_FOUND, describe(e));
        } catch (RuntimeException e) {
            return new Result(Outcome.FAILED, describe(e));
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
