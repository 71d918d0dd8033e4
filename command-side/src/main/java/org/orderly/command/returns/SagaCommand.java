package org.orderly.command.returns;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;

/**
 * Sends one command for the return saga and waits for it, so that the saga decides on the outcome in the same
 * handler: done, already done, refused (with the refusal's kind) or failed. A twin of the fulfilment saga's
 * helper: domain packages share nothing but shared-api messages.
 */
final class SagaCommand {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    enum Outcome { DONE, ALREADY_EXISTS, NOT_FOUND, CONFLICT, REFUSED, FAILED }

    record Result(Outcome outcome, String error) {
        boolean done() {
            return outcome == Outcome.DONE;
        }
    }

    private SagaCommand() {
    }

    static Result send(CommandGateway commands, Object command) {
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
