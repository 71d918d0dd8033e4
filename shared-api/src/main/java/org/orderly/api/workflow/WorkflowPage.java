package org.orderly.api.workflow;

import java.util.List;

/** @param next the id to continue after, or {@code null} on the last page */
public record WorkflowPage(List<WorkflowView> items, WorkflowId next) {
}
