package org.orderly.config.saga;

/**
 * A deadline's payload: the step it guards and the token the saga drew when it set it. The saga keeps the
 * token of each deadline it still waits for; a deadline whose token it no longer holds (its cancellation
 * raced with its firing, or it belongs to a change of state that never committed) is ignored.
 */
public record StepDeadline(String step, String token) {
}
