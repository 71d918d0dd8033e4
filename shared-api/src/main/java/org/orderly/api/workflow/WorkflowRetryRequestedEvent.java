package org.orderly.api.workflow;

import org.axonframework.serialization.Revision;

/** An operator asks a parked saga to try its failed step again; only that saga reacts. */
@Revision("1")
public record WorkflowRetryRequestedEvent(WorkflowId workflowId) {
}
