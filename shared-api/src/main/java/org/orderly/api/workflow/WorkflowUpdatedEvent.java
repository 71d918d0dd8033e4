package org.orderly.api.workflow;

import java.time.Instant;
import java.util.List;

import org.axonframework.serialization.Revision;

/**
 * The whole visible state of a saga after one of its changes, published by the saga for the workflows read
 * model. Carrying everything, with a revision that only grows, makes the projection a plain "keep the
 * newest" upsert: duplicates, redeliveries and replays all land on the same row.
 *
 * @param deadline when the step the saga waits on times out, or {@code null} when it waits on nothing
 */
@Revision("1")
public record WorkflowUpdatedEvent(WorkflowId workflowId, String type, String businessId, WorkflowStatus status,
                                   String currentStep, Instant deadline, long revision, List<WorkflowStep> steps) {
}
