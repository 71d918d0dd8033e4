package org.orderly.command.returns;

/**
 * A deadline's payload: the stage (and retry) it was set for. A deadline that outlives its stage, because its
 * cancellation raced with its firing, names a stage the saga has left, and the saga ignores it.
 */
public record ReturnTimeout(String stage, int attempt) {
}
