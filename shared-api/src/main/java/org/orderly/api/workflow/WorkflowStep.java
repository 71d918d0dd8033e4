package org.orderly.api.workflow;

import java.time.Instant;

/**
 * One step of a saga.
 *
 * @param status  {@code RUNNING}, {@code COMPLETED} or {@code FAILED}
 * @param endedAt {@code null} while running
 * @param error   the last failure of the step, or {@code null}
 */
public record WorkflowStep(String name, String status, Instant startedAt, Instant endedAt, String error) {
}
