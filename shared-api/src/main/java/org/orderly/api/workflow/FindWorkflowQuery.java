package org.orderly.api.workflow;

/** Answered with a {@link WorkflowView}, or {@code null} when the read model has no such workflow. */
public record FindWorkflowQuery(WorkflowId workflowId) {
}
