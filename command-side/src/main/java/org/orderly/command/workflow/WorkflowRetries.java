package org.orderly.command.workflow;

import java.util.concurrent.TimeUnit;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;
import org.orderly.api.workflow.FindWorkflowQuery;
import org.orderly.api.workflow.RetryWorkflowCommand;
import org.orderly.api.workflow.WorkflowRetryRequestedEvent;
import org.orderly.api.workflow.WorkflowStatus;
import org.orderly.api.workflow.WorkflowView;
import org.springframework.stereotype.Component;

/**
 * Operators' retries of parked sagas. A saga cannot handle a command, so the retry travels as
 * {@link WorkflowRetryRequestedEvent}, to which only the saga of that workflow reacts. Whether the saga is
 * parked is read from the workflows read model (asked over the query bus, like any saga type's state): an
 * operator retries what that model showed, and a retry that reaches a saga no longer parked, because the
 * model lagged or two operators clicked, is ignored by the saga itself.
 */
@Component
class WorkflowRetries {

    private static final long QUERY_TIMEOUT_MILLIS = 10_000;

    private final QueryGateway queries;
    private final EventGateway events;

    WorkflowRetries(QueryGateway queries, EventGateway events) {
        this.queries = queries;
        this.events = events;
    }

    @CommandHandler
    void handle(RetryWorkflowCommand command) throws Exception {
        WorkflowView workflow = queries.query(new FindWorkflowQuery(command.workflowId()),
                ResponseTypes.instanceOf(WorkflowView.class)).get(QUERY_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        if (workflow == null) {
            throw new RefusedException(Refusal.notFound("Workflow " + command.workflowId() + " does not exist"));
        }
        if (command.expectedRevision() != null && command.expectedRevision() != workflow.revision()) {
            throw new RefusedException(Refusal.conflict("If-Match", "The workflow changed since you read it: it is at "
                    + "revision " + workflow.revision() + ", you expected " + command.expectedRevision()));
        }
        if (workflow.status() != WorkflowStatus.COMPENSATION_FAILED && workflow.status() != WorkflowStatus.FAILED) {
            throw new RefusedException(Refusal.conflict("status", "Workflow " + command.workflowId() + " is "
                    + workflow.status() + "; only a COMPENSATION_FAILED or FAILED workflow can be retried"));
        }
        // Published with the command's unit of work: it is stored only if the command succeeds.
        events.publish(new WorkflowRetryRequestedEvent(command.workflowId()));
    }
}
