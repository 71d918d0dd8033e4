package org.orderly.api.workflow;

import java.time.Instant;
import java.util.List;

/** @param revision how many changes the saga has published; grows with each */
public record WorkflowView(WorkflowId workflowId, String type, String businessId, WorkflowStatus status,
                           String currentStep, Instant deadline, List<WorkflowStep> steps, long revision) {
}
