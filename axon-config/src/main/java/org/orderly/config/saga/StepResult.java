package org.orderly.config.saga;

import java.util.List;

import org.orderly.config.command.SagaCommand;

/**
 * How one try of a step went: {@code DONE}; {@code RETRY}, a failure worth trying again (with backoff);
 * {@code FAIL}, a refusal that no retry can change; or {@code SENT}, for a step that waits on an answer:
 * the request went out and the answer comes as an event (or has already been taken in).
 */
public record StepResult(Kind kind, String error) {

    public enum Kind { DONE, SENT, RETRY, FAIL }

    public static StepResult done() {
        return new StepResult(Kind.DONE, null);
    }

    public static StepResult sent() {
        return new StepResult(Kind.SENT, null);
    }

    public static StepResult retry(String error) {
        return new StepResult(Kind.RETRY, error);
    }

    public static StepResult fail(String error) {
        return new StepResult(Kind.FAIL, error);
    }

    /** Done when the command was, or ended with one of {@code alsoDone}; anything else is retried. */
    public static StepResult of(SagaCommand.Result result, SagaCommand.Outcome... alsoDone) {
        return result.done() || List.of(alsoDone).contains(result.outcome()) ? done() : retry(result.error());
    }
}
