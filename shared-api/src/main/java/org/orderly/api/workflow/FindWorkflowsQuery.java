package org.orderly.api.workflow;

/**
 * One page of workflows ordered by id. Answered with a {@link WorkflowPage}. Every filter is optional.
 *
 * @param stuck only workflows still running or compensating past their deadline
 * @param after the id of the last workflow of the previous page, or {@code null}
 */
public record FindWorkflowsQuery(WorkflowStatus status, String type, String businessId, boolean stuck, int limit,
                                 WorkflowId after) {
}
