package org.orderly.api.workflow;

/**
 * An operator asks a parked saga (COMPENSATION_FAILED or FAILED) to try its failed step again.
 *
 * @param expectedRevision the revision the operator saw ({@code If-Match}), or {@code null} to retry whatever
 *                         the saga's revision
 */
public record RetryWorkflowCommand(WorkflowId workflowId, Long expectedRevision) {
}
