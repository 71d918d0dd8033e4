package org.orderly.command.workflow;

import java.util.List;
import java.util.UUID;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;
import org.orderly.api.workflow.RetryWorkflowCommand;
import org.orderly.api.workflow.WorkflowRetryRequestedEvent;
import org.orderly.api.workflow.WorkflowStatus;
import org.orderly.config.domainstore.DomainStoreReader;
import org.orderly.config.domainstore.DomainStores;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Operators' retries of parked sagas. A saga cannot handle a command, so the retry travels as
 * {@link WorkflowRetryRequestedEvent}, to which only the saga of that workflow reacts. Whether the saga is
 * parked is read from the workflows read model (its schema read here, through the workflows domain's role): an
 * operator retries what that model showed, and a retry that reaches a saga no longer parked, because the
 * model lagged or two operators clicked, is ignored by the saga itself.
 */
@Component
class WorkflowRetries {

    /** The workflows read model's schema, read here; its store and processor are declared by the query side. */
    @Configuration(proxyBeanMethods = false)
    static class Reader {
        @Bean
        DomainStoreReader workflowsReader() {
            return DomainStoreReader.of("workflows", "workflows");
        }
    }

    private record Parked(WorkflowStatus status, long revision) {
    }

    private final JdbcTemplate workflows;
    private final EventGateway events;

    WorkflowRetries(DomainStores stores, EventGateway events) {
        this.workflows = stores.get("workflows").jdbc();
        this.events = events;
    }

    @CommandHandler
    void handle(RetryWorkflowCommand command) throws Exception {
        List<Parked> found = workflows.query("SELECT status, revision FROM workflows WHERE workflow_id = ?",
                (rs, row) -> new Parked(WorkflowStatus.valueOf(rs.getString("status")), rs.getLong("revision")),
                command.workflowId().value());
        Parked workflow = found.isEmpty() ? null : found.get(0);
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
