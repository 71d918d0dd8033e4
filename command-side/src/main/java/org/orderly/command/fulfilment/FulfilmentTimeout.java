package org.orderly.command.fulfilment;

/**
 * A deadline's payload: the stage (or retry) it was set for. A deadline that outlives its stage, because its
 * cancellation raced with its firing, names a stage the saga has left, and the saga ignores it.
 */
public record FulfilmentTimeout(String stage, int attempt) {
}
