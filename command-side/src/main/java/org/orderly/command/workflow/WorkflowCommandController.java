package org.orderly.command.workflow;

import java.util.UUID;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.orderly.api.workflow.RetryWorkflowCommand;
import org.orderly.api.workflow.WorkflowId;
import org.orderly.config.web.ETags;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Operators' commands on sagas. A retry answers 202: the saga takes it up asynchronously, and
 * {@code GET /api/workflows/{id}} shows how it goes. {@code If-Match} takes the workflow's ETag (its revision).
 */
@RestController
@RequestMapping("/api/workflows")
class WorkflowCommandController {

    private final CommandGateway commands;

    WorkflowCommandController(CommandGateway commands) {
        this.commands = commands;
    }

    @PostMapping("/{workflowId}/retry")
    ResponseEntity<Void> retry(@PathVariable UUID workflowId,
                               @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        commands.sendAndWait(new RetryWorkflowCommand(new WorkflowId(workflowId), ETags.expectedVersion(ifMatch)));
        return ResponseEntity.accepted().build();
    }
}
